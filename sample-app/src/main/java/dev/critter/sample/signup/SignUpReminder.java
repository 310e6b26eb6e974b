package dev.critter.sample.signup;

/**
 * Time to remind a new user to finish setting up their account (sent with a delay).
 * @param email the user's e-mail address
 */
public record SignUpReminder(String email) {
}
