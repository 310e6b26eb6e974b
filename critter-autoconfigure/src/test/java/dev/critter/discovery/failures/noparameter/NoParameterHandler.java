package dev.critter.discovery.failures.noparameter;

/** A handler method without the message parameter. */
public class NoParameterHandler {

    public void handle() {
    }
}
