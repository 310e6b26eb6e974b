package dev.critter.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.Envelope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryDeadLettersTests {

    private static DeadLetter letter(String text) {
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType(text.startsWith("a") ? "alpha" : "beta")
                .message(text).sentAt(Instant.now()).build();
        return new DeadLetter(UUID.randomUUID(), envelope, "local://q", "H.handle(String)", "java.lang.IllegalStateException",
                text, "", Instant.now());
    }

    @Test
    void theStoreIsBoundedAndEvictsTheOldestFirst() {
        InMemoryDeadLetters store = new InMemoryDeadLetters(3);
        for (String text : List.of("a1", "b2", "a3", "b4", "a5")) {
            store.add(letter(text));
        }
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.evicted()).isEqualTo(2);
        assertThat(store.list()).extracting(d -> d.envelope().message()).containsExactly("a3", "b4", "a5");
        assertThat(store.list("alpha")).extracting(d -> d.envelope().message()).containsExactly("a3", "a5");
    }

    @Test
    void replayHandsTheLetterToTheReplayerAndRemovesIt() {
        InMemoryDeadLetters store = new InMemoryDeadLetters(10);
        DeadLetter letter = letter("a1");
        store.add(letter);
        List<DeadLetter> replayed = new ArrayList<>();
        store.replayWith(replayed::add);
        assertThat(store.replay(letter.id())).isTrue();
        assertThat(replayed).containsExactly(letter);
        assertThat(store.find(letter.id())).isEmpty();
        assertThat(store.replay(letter.id())).isFalse();
    }

    @Test
    void aFailedReplayKeepsTheLetter() {
        InMemoryDeadLetters store = new InMemoryDeadLetters(10);
        DeadLetter letter = letter("a1");
        store.add(letter);
        store.replayWith(d -> {
            throw new IllegalStateException("queue gone");
        });
        assertThatThrownBy(() -> store.replay(letter.id())).hasMessage("queue gone");
        assertThat(store.find(letter.id())).contains(letter);
        assertThat(store.discard(letter.id())).isTrue();
        assertThat(store.count()).isZero();
    }

    @Test
    void aReplayThatFailsPutsTheLetterBackWithinTheStoresBound() {
        InMemoryDeadLetters store = new InMemoryDeadLetters(1);
        DeadLetter first = letter("a1");
        store.add(first);
        store.replayWith(replayed -> {
            // meanwhile another message fails for good
            store.add(letter("b2"));
            throw new IllegalStateException("queue stopped");
        });
        assertThatThrownBy(() -> store.replay(first.id())).isInstanceOf(IllegalStateException.class);
        assertThat(store.count()).isEqualTo(1);
    }
}
