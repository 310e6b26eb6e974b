package dev.critter.sample.signup;

/**
 * Someone asks for an account; also the JSON body of {@code POST /signups}.
 * @param email the new user's e-mail address
 */
public record SignUpRequest(String email) {
}
