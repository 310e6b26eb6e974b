package dev.critter.sample.orders;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * A pretend card issuer: a card ending in 0000 is always declined; a card can also be put on
 * hold (declined) and released again, which the walkthrough uses to show a dead letter that
 * succeeds when replayed.
 */
@Component
public class CardIssuer {

    private static final String ALWAYS_DECLINED = "0000";

    private final Set<String> onHold = ConcurrentHashMap.newKeySet();

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
