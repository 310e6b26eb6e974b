package dev.critter.autoconfigure;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.filter.LevelFilter;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.AppenderAttachable;

/**
 * Tells {@code critter.logging.mdc=auto} whether the logging backend reads Critter's MDC keys.
 * Putting them costs more than the rest of a queued message's handling (Logback copies its MDC map
 * on write), so they are put only where a log line can carry them. Conservative: only a
 * configuration Critter can read in full and finds not reading them turns them off. With Logback,
 * that is every appender writing through a pattern layout whose pattern names no Critter key (no
 * {@code %X} / {@code %mdc} without a key, none with a {@code critter.} key); any other appender
 * or encoder (Spring Boot's structured logging, JSON encoders, appenders of other libraries), any
 * appender filter other than a level or threshold filter, and any turbo filter count as reading them. Any backend other than Logback counts as reading them too.
 */
final class MdcReaders {

    /** {@code %X}, {@code %mdc} with format modifiers and an optional {@code {key:-default}}. */
    private static final Pattern MDC_CONVERSION = Pattern.compile("%[-.\\d]*(?:X|mdc)(?![A-Za-z])(?:\\{([^}]*)})?");

    private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
            MdcReaders.class.getClassLoader());

    private MdcReaders() {
    }

    /**
     * Returns why Critter's MDC keys are not read by the logging backend, or {@code null} when they
     * may be.
     * @return what was found: the appenders, none of which reads the keys; {@code null} when
     *         something may read them or the backend is not one Critter can inspect
     */
    static @Nullable String whyUnread() {
        if (!LOGBACK_PRESENT) {
            return null;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext context ? Logback.whyUnread(context) : null;
    }

    /**
     * Tells whether a pattern reads a Critter MDC key: all MDC entries ({@code %X}) or one whose
     * key starts with {@code critter.}.
     * @param pattern a Logback (or Log4j) pattern
     * @return whether a line written with it can carry a Critter key
     */
    static boolean patternReadsCritterKeys(String pattern) {
        Matcher matcher = MDC_CONVERSION.matcher(pattern);
        while (matcher.find()) {
            String key = matcher.group(1);
            if (key == null || key.isBlank()) {
                return true;
            }
            int defaultValue = key.indexOf(":-");
            String name = (defaultValue >= 0 ? key.substring(0, defaultValue) : key).trim();
            if (name.toLowerCase(Locale.ROOT).startsWith("critter.")) {
                return true;
            }
        }
        return false;
    }

    /** Kept apart so that Logback's classes load only when Logback is there. */
    private static final class Logback {

        static @Nullable String whyUnread(LoggerContext context) {
            if (!context.getTurboFilterList().isEmpty()) {
                return null;
            }
            List<String> seen = new ArrayList<>();
            for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
                if (!unread(logger, seen)) {
                    return null;
                }
            }
            return seen.isEmpty() ? "no Logback appender" : "Logback appenders " + String.join(", ", seen)
                    + " write patterns without Critter's keys";
        }

        private static boolean unread(AppenderAttachable<ILoggingEvent> attachable, List<String> seen) {
            for (Iterator<Appender<ILoggingEvent>> it = attachable.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> appender = it.next();
                if (appender instanceof AppenderAttachable<?>) {
                    @SuppressWarnings("unchecked")
                    AppenderAttachable<ILoggingEvent> nested = (AppenderAttachable<ILoggingEvent>) appender;
                    if (!unread(nested, seen)) {
                        return false;
                    }
                    continue;
                }
                String pattern = patternOf(appender);
                if (pattern == null || patternReadsCritterKeys(pattern) || !onlyLevelFilters(appender)) {
                    return false;
                }
                String name = "'" + appender.getName() + "'";
                if (!seen.contains(name)) {
                    seen.add(name);
                }
            }
            return true;
        }

        /** Level and threshold filters read no MDC; any other filter might (an evaluator, say). */
        private static boolean onlyLevelFilters(Appender<ILoggingEvent> appender) {
            for (Filter<ILoggingEvent> filter : appender.getCopyOfAttachedFiltersList()) {
                if (!(filter instanceof LevelFilter || filter instanceof ThresholdFilter)) {
                    return false;
                }
            }
            return true;
        }

        /** The pattern of an appender that writes through a pattern layout; else {@code null}. */
        private static @Nullable String patternOf(Appender<ILoggingEvent> appender) {
            if (!(appender instanceof OutputStreamAppender<ILoggingEvent> stream)) {
                return null;
            }
            Encoder<ILoggingEvent> encoder = stream.getEncoder();
            if (!(encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping)) {
                return null;
            }
            Layout<ILoggingEvent> layout = wrapping.getLayout();
            return layout instanceof PatternLayout patternLayout ? patternLayout.getPattern() : null;
        }
    }
}
