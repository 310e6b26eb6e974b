package dev.critter.durability.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Schema names are checked once against a strict identifier rule, then always quoted. */
class SchemaNameTests {

    @ParameterizedTest
    @ValueSource(strings = {"critter", "_private", "orders_messaging_2", "order", "a"})
    void acceptsLowerCaseIdentifiers(String name) {
        assertThat(SchemaName.isValid(name)).isTrue();
        assertThat(new SchemaName(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Critter", "2fast", "orders-messaging", "critter.public", "crit\"ter", "x; DROP TABLE y",
            "pg_critter", "schéma", " critter"})
    void rejectsAnythingElseEchoingTheValueAndTheRule(String name) {
        assertThat(SchemaName.isValid(name)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new SchemaName(name))
                .withMessage("'" + name + "' is not a valid schema name: it must match " + SchemaName.RULE);
    }

    @Test
    void rejectsNamesLongerThanPostgresKeeps() {
        assertThat(SchemaName.isValid("a".repeat(63))).isTrue();
        assertThat(SchemaName.isValid("a".repeat(64))).isFalse();
    }

    @Test
    void isQuotedWhereverItIsWrittenIntoSql() {
        SchemaName name = new SchemaName("order");
        assertThat(name.quoted()).isEqualTo("\"order\"");
        assertThat(name.qualify("critter_nodes")).isEqualTo("\"order\".critter_nodes");
        assertThat(new JdbcSchema(name, 1).table("critter_dead_letters")).isEqualTo("\"order\".critter_dead_letters");
    }
}
