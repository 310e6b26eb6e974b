package dev.critter.sample.orders;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * A pretend card issuer. Before an order is accepted it authorises the amount: at most
 * $1,000.00 per order. When the payment is taken, a card ending in 0000 is always
 * declined; a card can also be put on hold (declined) and released again, which the walkthrough
 * uses to show a dead letter that succeeds when replayed.
 */
@Component
public class CardIssuer {

    /** The most one order may cost, in cents: $1,000.00. */
    public static final long LIMIT_CENTS = 100_000;

    private static final String ALWAYS_DECLINED = "0000";

    private final Set<String> onHold = ConcurrentHashMap.newKeySet();

    /**
     * Authorises an order's amount on a card.
     * @param orderId the order
     * @param cardEnding the card's last four digits
     * @param totalCents what the order costs
     * @throws CardLimitExceeded when it costs more than {@link #LIMIT_CENTS}
     */
    public void authorize(String orderId, String cardEnding, long totalCents) {
        if (totalCents > LIMIT_CENTS) {
            throw new CardLimitExceeded(orderId, "card ending " + cardEnding + " allows at most "
                    + Catalog.money(LIMIT_CENTS) + " per order; this one came to " + Catalog.money(totalCents)
                    + ". Nothing was ordered.");
        }
    }

    /** @param cardEnding a card's last four digits @return whether a charge to it is declined now */
    public boolean declines(String cardEnding) {
        return cardEnding.equals(ALWAYS_DECLINED) || onHold.contains(cardEnding);
    }

    /** @param cardEnding a card's last four digits, declined from now on until {@link #release} */
    public void hold(String cardEnding) {
        onHold.add(cardEnding);
    }

    /** @param cardEnding a card's last four digits, no longer declined (unless it ends in 0000) */
    public void release(String cardEnding) {
        onHold.remove(cardEnding);
    }
}
