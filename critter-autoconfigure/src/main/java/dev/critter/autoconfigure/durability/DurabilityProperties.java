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

    /**
     * Whether durability is on when the application has a single DataSource.
     * @return the value of {@code critter.durability.enabled}
     */
    public boolean isEnabled() { return enabled; }

    /**
     * Sets {@code critter.durability.enabled}.
     * @param enabled whether durability is on when the application has a single DataSource
     */
    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    /**
     * Schema holding Critter's tables.
     * @return the value of {@code critter.durability.schema}
     */
    public String getSchema() { return schema; }

    /**
     * Sets {@code critter.durability.schema}.
     * @param schema schema holding Critter's tables
     */
    public void setSchema(String schema) { this.schema = schema; }

    /**
     * Whether start-up creates and migrates the schema.
     * @return the value of {@code critter.durability.auto-create}
     */
    public boolean isAutoCreate() { return autoCreate; }

    /**
     * Sets {@code critter.durability.auto-create}.
     * @param autoCreate whether start-up creates and migrates the schema
     */
    public void setAutoCreate(boolean autoCreate) { this.autoCreate = autoCreate; }
}
