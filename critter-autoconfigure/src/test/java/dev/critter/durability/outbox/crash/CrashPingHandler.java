package dev.critter.durability.outbox.crash;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Records each handling in the database, in the handler's transaction: a row per handling, duplicates included. */
public class CrashPingHandler {

    public void handle(CrashPing ping, JdbcClient jdbc) {
        jdbc.sql("INSERT INTO crash_handled (n, pid) VALUES (?, ?)").param(ping.n())
                .param(ProcessHandle.current().pid()).update();
    }
}
