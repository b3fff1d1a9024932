package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.cli.MatchCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigCommandTest {

    private static final String AGENT = String.join("\n",
            "kafka.bootstrap.servers=broker-1:9092",
            "kafka.security.protocol=SASL_SSL",
            "kafka.sasl.mechanism=SCRAM-SHA-512",
            "kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"agent\" password=\"s3cret\";",
            "segment=dc1",
            "allowlist=198.18.0.0/15",
            "max.rate=5000",
            "trusted.keys=TRUSTED",
            "");

    @TempDir
    Path tmp;

    /** The file, with the agent's trusted key (written by keygen) where the text asks for TRUSTED. */
    private Path file(String text) throws IOException {
        Path f = tmp.resolve("service.properties");
        if (!Files.exists(tmp.resolve("issuer.pub"))) {
            assertEquals(0, MatchCommandTest.run("keygen", "--out", tmp.resolve("issuer").toString()).code());
        }
        Files.writeString(f, text.replace("TRUSTED", tmp.resolve("issuer.pub").toString()));
        return f;
    }

    @Test
    void aValidAgentConfigIsPrintedWithSecretsMaskedAndDefaultsNamed() throws IOException {
        Run r = MatchCommandTest.run("config", "check", "--no-env", file(AGENT).toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("a valid agent configuration"), r.out());
        assertTrue(r.out().contains("kafka.sasl.jaas.config = ********"), r.out());
        assertFalse(r.out().contains("s3cret"), "the password must never be printed");
        assertTrue(r.out().contains("hosts.in.flight = 256  (default)"), r.out());
        assertTrue(r.out().contains("metrics.port = 9403  (default)"), r.out());
        assertTrue(r.out().contains("max.rate = 5000"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "misspelt key, with the key meant     | max.rat=100                         | 'max.rat' is not a configuration key (did you mean 'max.rate'?)",
        "number out of range                  | hosts.in.flight=0                   | 'hosts.in.flight': must be a whole number from 1 to 65536 (got '0')",
        "not a number                         | max.rate=fast                       | 'max.rate': must be a whole number from 0 to 10000000 (got 'fast')",
        "bad CIDR in the allowlist            | allowlist=198.18.0.0/33             | 'allowlist':",
        "bad port list                        | ports=80,99999                      | 'ports':",
        "a key another service reads          | segments=10.0.0.0/8=dc1             | 'segments' is read by the coordinator, not the agent",
        "unknown Kafka property               | kafka.bootstrap.server=x:1          | 'kafka.bootstrap.server' is not a Kafka client property (did you mean 'kafka.bootstrap.servers'?)",
        "Kafka value Kafka cannot parse       | kafka.acks=maybe                    | Invalid value maybe for configuration acks",
        "Kafka security protocol misspelt     | kafka.security.protocol=SASL_SSSL   | security.protocol",
        "trusted key file missing             | trusted.keys=/nonexistent/k.pub     | 'trusted.keys': /nonexistent/k.pub: no such file",
        "accept.unsigned not a boolean        | accept.unsigned=yes                 | 'accept.unsigned': must be true or false",
    })
    void aBrokenAgentConfigIsRejectedNamingTheKey(String what, String line, String expected) throws IOException {
        String text = AGENT.replaceAll("(?m)^" + java.util.regex.Pattern.quote(line.substring(0, line.indexOf('=') + 1)) + ".*\n", "") + line + "\n";
        Run r = MatchCommandTest.run("config", "check", "--no-env", "--service", "agent", file(text).toString());
        assertEquals(2, r.code(), what + ": " + r.out());
        assertTrue(r.err().contains(expected), what + ": " + r.err());
        assertTrue(r.err().contains("service.properties: "), "each problem names the file: " + r.err());
    }

    @Test
    void everyProblemIsListedAndMissingRequiredKeysNamed() throws IOException {
        Run r = MatchCommandTest.run("config", "check", "--no-env", "--service", "agent", file("max.rate=-1\n").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("5 problems"), r.err());
        assertTrue(r.err().contains("'trusted.keys' is required"), r.err());
        assertTrue(r.err().contains("'segment' is required"), r.err());
        assertTrue(r.err().contains("'allowlist' is required"), r.err());
        assertTrue(r.err().contains("'kafka.bootstrap.servers' is required"), r.err());
        assertTrue(r.err().contains("'max.rate': must be"), r.err());
    }

    @Test
    void theServiceIsToldByItsKeysOrMustBeNamed() throws IOException {
        Run coordinator = MatchCommandTest.run("config", "check", "--no-env",
                file("kafka.bootstrap.servers=b:9092\nsegments=198.18.0.0/15=lab\n").toString());
        assertEquals(0, coordinator.code(), coordinator.err());
        assertTrue(coordinator.out().contains("a valid coordinator configuration"), coordinator.out());
        Run unknown = MatchCommandTest.run("config", "check", "--no-env", file("kafka.bootstrap.servers=b:9092\n").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--service coordinator|matcher|agent"), unknown.err());
    }

    @Test
    void aMissingFileIsOneLine() {
        Run r = MatchCommandTest.run("config", "check", tmp.resolve("nope.properties").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.properties: no such file"), r.err());
    }

    @Test
    void environmentOverridesAreChecked() throws IOException {
        ServiceConfig c = ServiceConfig.load(file(AGENT), java.util.Map.of("SCANFARM_HOSTS_IN_FLIGHT", "many"));
        assertTrue(String.join("\n", c.problems(ConfigKeys.Service.AGENT)).contains("'hosts.in.flight': must be a whole number"));
    }

    @Test
    void keygenWritesAPrivateKeyOnlyItsOwnerReadsAndNeverReplacesOne() throws IOException {
        Run r = MatchCommandTest.run("keygen", "--out", tmp.resolve("k").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)scanfarm keygen: key [0-9a-f]{16} written to .*k\\.key .*"), r.out());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("k.key"))));
        assertTrue(Files.readString(tmp.resolve("k.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
        Run again = MatchCommandTest.run("keygen", "--out", tmp.resolve("k").toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exists: keygen never replaces a key"), again.err());
    }

    @Test
    void aScanThroughARunningFarmMustSayHowItsJobsAreSigned() {
        Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "198.18.16.1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give --signing-key FILE"), r.err());
        Run missing = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--signing-key", "/nonexistent/x.key", "198.18.16.1");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
