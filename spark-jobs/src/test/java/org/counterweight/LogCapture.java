package org.counterweight;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the messages one logger writes at INFO (or a given level) and above while open (the
 * test configuration keeps Counterweight at WARN), with their levels; they are not printed. Use in
 * try-with-resources.
 */
public final class LogCapture implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String name;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<Level> levels = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;

    /** Starts capturing the logger of {@code type}. */
    public LogCapture(Class<?> type) {
        this(type.getName(), Level.INFO);
    }

    /** Starts capturing the logger {@code loggerName} (a class name) at {@code level} and above. */
    public LogCapture(String loggerName, Level level) {
        name = loggerName;
        appender = new AbstractAppender("capture-" + name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                levels.add(event.getLevel());
                messages.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = new LoggerConfig(name, level, false);
        logger.addAppender(appender, level, null);
        config.addLogger(name, logger);
        context.updateLoggers();
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The level of each message, in the same order. */
    public List<Level> levels() {
        return List.copyOf(levels);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(name);
        context.updateLoggers();
        appender.stop();
    }
}
