package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka client settings reach the clients untouched, from either kind of file, and secrets never reach the screen. */
class KafkaClientFileTest {

    private static final Path DEPLOY = Path.of("..", "deploy", "kafka");

    @Test
    void aPlainClientFileIsTakenWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("admin.properties");
        Files.writeString(f, "bootstrap.servers=h:9093\nsecurity.protocol=SASL_SSL\nssl.truststore.location=/ca.pem\n");
        Properties p = KafkaClientFile.load(f);
        assertEquals(Map.of("bootstrap.servers", "h:9093", "security.protocol", "SASL_SSL", "ssl.truststore.location", "/ca.pem"), p);
    }

    @Test
    void aServiceConfigurationGivesItsKafkaKeysWithoutThePrefix(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("coordinator.properties");
        Files.writeString(f, "kafka.bootstrap.servers=h:9093\nkafka.sasl.mechanism=SCRAM-SHA-512\nsegments=198.18.0.0/15=lab\n");
        assertEquals(Map.of("bootstrap.servers", "h:9093", "sasl.mechanism", "SCRAM-SHA-512"), KafkaClientFile.load(f));
    }

    @Test
    void theDeployedRoleFilesCarrySaslSslAndScramToEveryClient() {
        for (String role : new String[] {"coordinator", "agent", "matcher"}) {
            Properties p = KafkaClientFile.load(DEPLOY.resolve(role + ".properties"));
            Properties same = ServiceConfig.load(DEPLOY.resolve(role + ".properties"), Map.of()).kafka();
            assertEquals(same, p, role + ": scan --kafka-config and the service read the same client settings");
            assertEquals("SASL_SSL", p.getProperty("security.protocol"), role);
            assertEquals("SCRAM-SHA-512", p.getProperty("sasl.mechanism"), role);
            assertTrue(p.getProperty("sasl.jaas.config").contains("ScramLoginModule required"), role);
            assertTrue(p.containsKey("ssl.truststore.location"), role);
        }
        Properties admin = KafkaClientFile.load(DEPLOY.resolve("admin.properties"));
        assertEquals("SASL_SSL", admin.getProperty("security.protocol"));
    }

    @Test
    void theDeployedRoleFilesPassConfigCheckButForTheirPlaceholderPaths() {
        for (ConfigKeys.Service service : ConfigKeys.Service.values()) {
            String file = service.name().toLowerCase(java.util.Locale.ROOT) + ".properties";
            List<String> problems = ServiceConfig.load(DEPLOY.resolve(file), Map.of()).problems(service);
            assertTrue(problems.stream().allMatch(p -> p.contains("no such file")), file + ": " + problems);
        }
    }

    @Test
    void printedConfigurationsMaskJaasAndPasswords() {
        ServiceConfig c = ServiceConfig.load(DEPLOY.resolve("agent.properties"),
                Map.of("SCANFARM_KAFKA_SSL_KEY_PASSWORD", "hunter2"));
        StringWriter out = new StringWriter();
        c.print(new PrintWriter(out), "agent");
        assertTrue(out.toString().contains("kafka.sasl.jaas.config = ********"), out.toString());
        assertTrue(out.toString().contains("kafka.ssl.key.password = ********"), out.toString());
        assertFalse(out.toString().contains("CHANGE-ME") || out.toString().contains("hunter2"), out.toString());
        assertEquals("hunter2", c.kafka().getProperty("ssl.key.password"), "the environment's secret reaches the client");
    }
}
