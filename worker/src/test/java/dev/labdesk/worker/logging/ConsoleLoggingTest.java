package dev.labdesk.worker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Logback finds the worker's configuration in code (no logback.xml) and sets it up as the worker logs. */
class ConsoleLoggingTest {
    @Test
    void logbackIsConfiguredByConsoleLoggingStderrOneLineAndQuietJettyAndJavalin() {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        var appender = root.getAppender("STDERR");
        assertThat(appender).isInstanceOf(ConsoleAppender.class);
        assertThat(((ConsoleAppender<?>) appender).getTarget()).isEqualTo("System.err");
        assertThat(((PatternLayoutEncoder) ((ConsoleAppender<?>) appender).getEncoder()).getPattern()).isEqualTo(ConsoleLogging.PATTERN);
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.javalin.Javalin").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.labdesk.worker.Worker").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(getClass().getClassLoader().getResource("logback.xml")).as("one configuration, in code").isNull();
    }
}
