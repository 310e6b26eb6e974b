package dev.critter.autoconfigure.durability;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Critter's durability settings under {@code critter.durability.*}: whether Critter uses the
 * application's PostgreSQL {@code DataSource}, and where and how its tables are made.
 */
@ConfigurationProperties("critter.durability")
public class DurabilityProperties {

    /** Whether durability is on when the application has a single DataSource. */
    private boolean enabled = true;

    /** Schema holding Critter's tables: lower-case letters, digits and underscores, at most 63, not starting with pg_. */
    private String schema = "critter";

    /** Whether start-up creates and migrates the schema; false only checks that the scripts were run. */
    private boolean autoCreate = true;

    public boolean isEnabled() { return enabled; }

    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    public String getSchema() { return schema; }

    public void setSchema(String schema) { this.schema = schema; }

    public boolean isAutoCreate() { return autoCreate; }

    public void setAutoCreate(boolean autoCreate) { this.autoCreate = autoCreate; }
}
