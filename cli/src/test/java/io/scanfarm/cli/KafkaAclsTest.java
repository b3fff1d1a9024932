package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ACLs of each role: deploy/kafka/acls and KafkaAcls state the same ones, and they name the services' own ids. */
class KafkaAclsTest {

    private static final Path SCRIPT = Path.of("..", "deploy", "kafka", "acls");

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of("coordinator", "User:scanfarm-coordinator", List.of()),
                Arguments.of("agent", "User:agent-lab", List.of("lab")),
                Arguments.of("agent", "User:agent-two", List.of("dmz", "lab.west")),
                Arguments.of("matcher", "User:scanfarm-matcher", List.of()));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("roles")
    void theScriptsDryRunPrintsTheSameAclsAsScanfarmAcls(String role, String principal, List<String> segments) throws Exception {
        List<String> java = new ArrayList<>(List.of("acls", "--dry-run", "--role", role, "--principal", principal));
        List<String> script = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dry-run", "--bootstrap-server", "HOST:PORT",
                "--command-config", "admin.properties", "--role", role, "--principal", principal));
        for (String s : segments) {
            java.addAll(List.of("--segment", s));
            script.addAll(List.of("--segment", s));
        }
        MatchCommandTest.Run r = MatchCommandTest.run(java.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        String fromScript = run(script);
        assertEquals(r.out(), fromScript);
        long commands = fromScript.lines().filter(l -> l.startsWith("kafka-acls.sh ")).count();
        assertEquals(KafkaAcls.forRole(KafkaAcls.Role.valueOf(role), principal, segments).size(), commands);
        assertTrue(commands > 0);
    }

    @Test
    void theScriptMasksTheScramPasswordItWouldSet() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--dry-run", "--bootstrap-server", "HOST:PORT",
                "--command-config", "admin.properties", "--role", "matcher", "--principal", "User:m", "--scram-password-env", "PW");
        pb.environment().put("PW", "s3cretvalue");
        String out = run(pb);
        assertTrue(out.contains("--entity-type users --entity-name m --add-config 'SCRAM-SHA-512=[iterations=8192,password=********]'"), out);
        assertFalse(out.contains("s3cretvalue"), out);
    }

    @Test
    void theScriptRefusesWhatKafkaAclsRefuses() throws Exception {
        for (List<String> args : List.of(List.of("--role", "agent", "--principal", "User:a"),
                List.of("--role", "matcher", "--principal", "User:m", "--segment", "lab"),
                List.of("--role", "agent", "--principal", "agent", "--segment", "lab"),
                List.of("--role", "agent", "--principal", "User:a", "--segment", "a/b"),
                List.of("--role", "admin", "--principal", "User:a"))) {
            List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dry-run", "--bootstrap-server", "h:1", "--command-config", "f"));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), args + ": " + out);
            assertFalse(out.contains("kafka-acls.sh --"), args + " printed commands: " + out);
        }
    }

    @Test
    void anAgentsTransactionalIdsFallUnderItsOwnSegmentsPrefixOnly() {
        List<KafkaAcls.Grant> lab = KafkaAcls.forRole(KafkaAcls.Role.agent, "User:a", List.of("lab"));
        AclBinding txn = lab.stream().filter(g -> g.binding().pattern().resourceType() == ResourceType.TRANSACTIONAL_ID)
                .findFirst().orElseThrow().binding();
        assertEquals(PatternType.PREFIXED, txn.pattern().patternType());
        assertTrue(ClientIds.agentTransactionalId("lab", "a1").startsWith(txn.pattern().name()));
        assertFalse(ClientIds.agentTransactionalId("lab.west", "a1").startsWith(txn.pattern().name()), "segment lab.west is not lab");
        assertFalse(ClientIds.agentTransactionalId("lab-2", "a1").startsWith(txn.pattern().name()), "segment lab-2 is not lab");
    }

    @Test
    void eachRoleIsGrantedOnlyWhatItsServiceUses() {
        List<String> coordinator = describe(KafkaAcls.forRole(KafkaAcls.Role.coordinator, "User:c", List.of()));
        List<String> agent = describe(KafkaAcls.forRole(KafkaAcls.Role.agent, "User:a", List.of("lab")));
        List<String> matcher = describe(KafkaAcls.forRole(KafkaAcls.Role.matcher, "User:m", List.of()));
        assertTrue(coordinator.contains("WRITE TOPIC scanfarm.jobs. PREFIXED"));
        assertFalse(coordinator.contains("WRITE TOPIC " + Topics.OBSERVATIONS + " LITERAL"));
        assertFalse(coordinator.stream().anyMatch(a -> a.startsWith("READ TOPIC " + Topics.OBSERVATIONS)), "raw packets stay with the matcher");
        assertEquals(List.of("READ TOPIC scanfarm.jobs.lab LITERAL", "READ GROUP scanfarm-agent-lab LITERAL",
                "WRITE TRANSACTIONAL_ID scanfarm-agent-lab/ PREFIXED", "WRITE TOPIC scanfarm.observations LITERAL",
                "WRITE TOPIC scanfarm.job-status LITERAL", "WRITE TOPIC scanfarm.dead-letter LITERAL"), agent);
        assertEquals(List.of("READ TOPIC scanfarm.observations LITERAL", "READ GROUP scanfarm-matcher LITERAL",
                "WRITE TRANSACTIONAL_ID scanfarm-matcher- PREFIXED", "WRITE TOPIC scanfarm.verdicts LITERAL",
                "WRITE TOPIC scanfarm.verdicts.json LITERAL", "WRITE TOPIC scanfarm.dead-letter LITERAL"), matcher);
        for (List<String> role : List.of(coordinator, agent, matcher)) {
            assertFalse(role.stream().anyMatch(a -> a.contains("CLUSTER") || a.startsWith(AclOperation.ALL.name())
                    || a.startsWith(AclOperation.IDEMPOTENT_WRITE.name())), "no cluster-wide grant: " + role);
        }
    }

    @Test
    void aBadPrincipalOrMissingSegmentIsAUsageError() {
        assertThrows(IllegalArgumentException.class, () -> KafkaAcls.forRole(KafkaAcls.Role.agent, "User:a", List.of()));
        assertThrows(IllegalArgumentException.class, () -> KafkaAcls.forRole(KafkaAcls.Role.matcher, "m", List.of()));
        assertThrows(IllegalArgumentException.class, () -> KafkaAcls.forRole(KafkaAcls.Role.coordinator, "User:*", List.of()));
        MatchCommandTest.Run r = MatchCommandTest.run("acls", "--dry-run", "--role", "agent", "--principal", "User:a");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("name at least one segment"), r.err());
        r = MatchCommandTest.run("acls", "--role", "matcher", "--principal", "User:m");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--config FILE is needed"), r.err());
    }

    private static List<String> describe(List<KafkaAcls.Grant> grants) {
        return grants.stream().map(g -> g.binding().entry().operation() + " " + g.binding().pattern().resourceType() + " "
                + g.binding().pattern().name() + " " + g.binding().pattern().patternType()).toList();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command));
    }

    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script finished");
        assertEquals(0, p.exitValue(), pb.command() + ": " + out);
        return out;
    }
}
