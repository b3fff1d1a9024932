package io.scanfarm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A file of Kafka client properties (bootstrap.servers, security.protocol, sasl.*, ssl.*) as Kafka's own tools
 * take it with --command-config, or a scanfarm service configuration: when any key starts with {@code kafka.},
 * only those keys are taken, without the prefix. Either way the values pass to the clients untouched.
 */
final class KafkaClientFile {

    private KafkaClientFile() {
    }

    static Properties load(Path file) {
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            raw.load(in);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
        boolean service = raw.stringPropertyNames().stream().anyMatch(k -> k.strip().startsWith("kafka."));
        Properties p = new Properties();
        raw.forEach((k, v) -> {
            String key = k.toString().strip();
            if (!service) {
                p.put(key, v.toString().strip());
            } else if (key.startsWith("kafka.")) {
                p.put(key.substring(6), v.toString().strip());
            }
        });
        return p;
    }
}
