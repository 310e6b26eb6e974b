package dev.critter;

/**
 * Thrown at start-up when Critter's configuration cannot work. Spring Boot's failure report
 * shows {@link #getMessage() what is wrong} and {@link #fix() what to do}.
 */
public class CritterConfigurationException extends RuntimeException {

    /** What to do about it. */
    private final String fix;

    /**
     * Creates the exception.
     * @param problem what is wrong, naming the class, method, key or value involved
     * @param fix what the user should change
     */
    public CritterConfigurationException(String problem, String fix) {
        super(problem);
        this.fix = fix;
    }

    /**
     * Returns the suggested fix.
     * @return the suggested fix
     */
    public String fix() {
        return fix;
    }
}
