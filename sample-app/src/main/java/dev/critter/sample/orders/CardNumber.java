package dev.critter.sample.orders;

/**
 * Where a card number stops: the order endpoint reads it and keeps only its last four digits, so
 * no message, log line, dead letter or response ever holds a full card number.
 */
public final class CardNumber {

    private CardNumber() {
    }

    /**
     * @param card a card number as typed: 12 to 19 digits, spaces and dashes allowed
     * @return its last four digits
     * @throws IllegalArgumentException when it is not a card number (the message never repeats it)
     */
    public static String lastFour(String card) {
        String digits = card.replace(" ", "").replace("-", "");
        if (digits.length() < 12 || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("card must be 12 to 19 digits (spaces and dashes allowed)");
        }
        return digits.substring(digits.length() - 4);
    }

    /**
     * @param cardEnding what a message says is a card ending
     * @return it, when it is four digits
     * @throws IllegalArgumentException otherwise: a message must not carry more of the card
     */
    static String requireEnding(String cardEnding) {
        if (cardEnding == null || !cardEnding.matches("[0-9]{4}")) {
            throw new IllegalArgumentException("cardEnding must be the last four digits of the card, nothing more");
        }
        return cardEnding;
    }
}
