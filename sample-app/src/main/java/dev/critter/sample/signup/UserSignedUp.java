package dev.critter.sample.signup;

/**
 * An account was created.
 * @param userId the new user's id
 * @param email the new user's e-mail address
 */
public record UserSignedUp(String userId, String email) {
}
