package dev.critter.rabbitmq;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which acks go out, and when: never past a delivery still being handled. */
class ConsecutiveAcksTests {

    private final List<String> sent = new ArrayList<>();

    private ConsecutiveAcks acks(int batch) {
        return new ConsecutiveAcks((tag, multiple) -> sent.add(tag + (multiple ? "+" : "")), batch);
    }

    @Test
    void consecutiveHandledDeliveriesAreAckedInOneFrameOnceABatchIsDue() throws Exception {
        ConsecutiveAcks acks = acks(3);
        assertThat(acks.handled(1, () -> false)).isZero();
        assertThat(acks.handled(2, () -> false)).isZero();
        assertThat(acks.handled(3, () -> false)).isEqualTo(3);
        assertThat(sent).containsExactly("3+");
    }

    @Test
    void anIdleListenerAcksAtOnceAndASingleDueDeliveryIsNotAMultipleAck() throws Exception {
        ConsecutiveAcks acks = acks(10);
        assertThat(acks.handled(1, () -> true)).isEqualTo(1);
        acks.handled(2, () -> false);
        assertThat(acks.handled(3, () -> true)).isEqualTo(2);
        assertThat(sent).containsExactly("1", "3+");
    }

    @Test
    void aDeliveryStillBeingHandledIsNeverCoveredByAMultipleAck() throws Exception {
        ConsecutiveAcks acks = acks(3);
        acks.handled(1, () -> false);
        // 2 is still in a handler; 3 and 4 are done while more work is queued.
        acks.handled(3, () -> false);
        acks.handled(4, () -> false);
        assertThat(sent).isEmpty();
        acks.handled(5, () -> false);
        // A batch done above the one in progress: acked singly rather than left to fill the prefetch;
        // 1, consecutive but not a batch yet, waits.
        assertThat(sent).containsExactly("3", "4", "5");
        acks.handled(2, () -> false);
        assertThat(sent).containsExactly("3", "4", "5");
        // 1, 2 and 6 due (3 to 5 are acked already): one multiple ack up to 6.
        assertThat(acks.handled(6, () -> false)).isEqualTo(3);
        assertThat(sent).containsExactly("3", "4", "5", "6+");
    }

    @Test
    void anIdleListenerAcksWhatIsDoneAboveOneInProgressSingly() throws Exception {
        ConsecutiveAcks acks = acks(10);
        acks.handled(1, () -> false);
        acks.handled(3, () -> true);
        assertThat(sent).containsExactly("1", "3");
        acks.handled(2, () -> true);
        assertThat(sent).containsExactly("1", "3", "2");
    }

    @Test
    void whenTheOneInProgressFinishesTheWholeRunIsAckedTogether() throws Exception {
        ConsecutiveAcks acks = acks(10);
        acks.handled(2, () -> false);
        acks.handled(3, () -> false);
        assertThat(sent).isEmpty();
        assertThat(acks.handled(1, () -> true)).isEqualTo(3);
        assertThat(sent).containsExactly("3+");
    }

    @Test
    void aRejectedDeliveryIsSkippedAndNeverNamedByAnAck() throws Exception {
        ConsecutiveAcks acks = acks(10);
        acks.handled(1, () -> false);
        acks.handled(2, () -> false);
        // 3 was rejected to the dead-letter exchange: the broker no longer knows its tag.
        assertThat(acks.settledElsewhere(3, () -> true)).isEqualTo(2);
        assertThat(sent).containsExactly("2+");
        acks.handled(4, () -> false);
        acks.settledElsewhere(5, () -> false);
        acks.handled(6, () -> true);
        assertThat(sent).containsExactly("2+", "6+");
    }

    @Test
    void aRejectionAloneSendsNothing() throws Exception {
        ConsecutiveAcks acks = acks(10);
        assertThat(acks.settledElsewhere(1, () -> true)).isZero();
        assertThat(acks.flush()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void flushSendsWhatWaitsBelowAndAboveADeliveryThatNeverFinished() throws Exception {
        ConsecutiveAcks acks = acks(10);
        acks.handled(1, () -> false);
        acks.handled(2, () -> false);
        acks.handled(4, () -> false);
        acks.handled(5, () -> false);
        // 3 never finished (its worker was stopped): the listener's stop flushes the rest.
        assertThat(acks.flush()).isEqualTo(4);
        assertThat(sent).containsExactly("2+", "4", "5");
        assertThat(acks.flush()).isZero();
    }

    @Test
    void whetherToFlushIsAskedAfterSettlingSoTheLastSettlementSendsWhatIsDue() throws Exception {
        ConsecutiveAcks acks = acks(10);
        boolean[] queueEmpty = {false};
        // Worker B handled 2 and found the queue empty, while worker A still ran 1: 2 acked singly.
        acks.handled(2, () -> true);
        // A settles 1 after B emptied the queue: asked now, it flushes, so 1 is not left unacked.
        queueEmpty[0] = true;
        assertThat(acks.handled(1, () -> queueEmpty[0])).isEqualTo(1);
        assertThat(sent).containsExactly("2", "1");
    }

    @Test
    void aTagSettledTwiceCountsOnce() throws Exception {
        ConsecutiveAcks acks = acks(10);
        acks.handled(1, () -> false);
        acks.handled(1, () -> false);
        acks.handled(3, () -> false);
        acks.handled(3, () -> false);
        acks.handled(2, () -> true);
        assertThat(sent).containsExactly("3+");
    }
}
