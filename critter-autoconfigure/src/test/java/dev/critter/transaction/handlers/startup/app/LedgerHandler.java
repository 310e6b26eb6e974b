package dev.critter.transaction.handlers.startup.app;

import javax.sql.DataSource;

/** Takes a DataSource, so it must run in a transaction. */
public class LedgerHandler {

    public record Post(String id) { }

    public void handle(Post post, DataSource dataSource) {
    }
}
