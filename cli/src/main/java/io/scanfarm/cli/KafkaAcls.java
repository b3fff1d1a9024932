package io.scanfarm.cli;

import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACLs of each role of the farm, as Kafka {@link AclBinding}s with the reason for each.
 * deploy/kafka/acls states the same ACLs for Kafka's own kafka-acls.sh; KafkaAclsTest keeps the two equal.
 * Kafka's rules keep the list short: READ and WRITE imply DESCRIBE on the same resource; an idempotent producer
 * needs WRITE on a topic, not IDEMPOTENT_WRITE on the cluster (Kafka 2.8+, KIP-679); CREATE on a topic that
 * exists answers "exists", so the coordinator needs no DESCRIBE on the shared topics it only creates.
 */
public final class KafkaAcls {

    public enum Role { coordinator, agent, matcher }

    /** One ACL and why the role needs it. */
    public record Grant(AclBinding binding, String why) {

        /** The same ACL as a kafka-acls.sh command line. */
        public String kafkaAclsCommand(String bootstrap, String commandConfig) {
            ResourcePattern r = binding.pattern();
            AccessControlEntry e = binding.entry();
            String resource = switch (r.resourceType()) {
                case TOPIC -> "--topic " + r.name();
                case GROUP -> "--group " + r.name();
                case TRANSACTIONAL_ID -> "--transactional-id " + r.name();
                case CLUSTER -> "--cluster";
                default -> throw new IllegalStateException("no kafka-acls.sh option for " + r.resourceType());
            };
            return "kafka-acls.sh --bootstrap-server " + bootstrap + " --command-config " + commandConfig
                    + " --add --allow-principal " + e.principal() + " --operation " + operation(e.operation())
                    + " " + resource + " --resource-pattern-type " + r.patternType().name().toLowerCase(Locale.ROOT);
        }
    }

    private KafkaAcls() {
    }

    /**
     * The ACLs of one role for {@code principal} ("User:name"). An agent's grants are per segment (at least one);
     * the coordinator and the matcher serve every segment and take none.
     */
    public static List<Grant> forRole(Role role, String principal, List<String> segments) {
        if (!principal.matches("User:[^\\s:*]+")) {
            throw new IllegalArgumentException("principal '" + principal + "' is not User:NAME");
        }
        for (String s : segments) {
            if (!s.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("segment name '" + s + "' may hold only letters, digits, '.', '_' and '-'");
            }
        }
        if (role == Role.agent && segments.isEmpty()) {
            throw new IllegalArgumentException("an agent's ACLs are per segment: name at least one segment");
        }
        if (role != Role.agent && !segments.isEmpty()) {
            throw new IllegalArgumentException("the " + role + " serves every segment: segments are for the agent role only");
        }
        List<Grant> g = new ArrayList<>();
        switch (role) {
            case coordinator -> {
                g.add(topic(principal, Topics.JOBS_PREFIX, PatternType.PREFIXED, AclOperation.CREATE, "creates each segment's job topic"));
                g.add(topic(principal, Topics.JOBS_PREFIX, PatternType.PREFIXED, AclOperation.WRITE,
                        "publishes ScanJobs to every segment's job topic (idempotent: WRITE is enough)"));
                for (String t : List.of(Topics.OBSERVATIONS, Topics.VERDICTS, Topics.VERDICTS_JSON, Topics.JOB_STATUS, Topics.DEAD_LETTER)) {
                    g.add(topic(principal, t, PatternType.LITERAL, AclOperation.CREATE, "creates the shared topic " + t));
                }
                g.add(topic(principal, Topics.VERDICTS, PatternType.LITERAL, AclOperation.READ,
                        "follows a scan's verdicts from their end offsets at submission"));
                g.add(topic(principal, Topics.JOB_STATUS, PatternType.LITERAL, AclOperation.READ,
                        "follows a scan's job statuses from their end offsets at submission"));
                g.add(grant(principal, ResourceType.GROUP, ClientIds.COORDINATOR_GROUP, PatternType.LITERAL, AclOperation.READ,
                        "the running coordinator watches job status and verdicts in its group and commits its place"));
                g.add(grant(principal, ResourceType.GROUP, ClientIds.AGENT_GROUP_PREFIX, PatternType.PREFIXED, AclOperation.DESCRIBE,
                        "counts a segment's agents (its consumer group's members) before submitting"));
            }
            case agent -> {
                for (String s : segments) {
                    g.add(topic(principal, Topics.jobs(s), PatternType.LITERAL, AclOperation.READ, "takes segment " + s + "'s jobs"));
                    g.add(grant(principal, ResourceType.GROUP, ClientIds.agentGroup(s), PatternType.LITERAL, AclOperation.READ,
                            "shares segment " + s + "'s jobs with its agents and commits their offsets"));
                    g.add(grant(principal, ResourceType.TRANSACTIONAL_ID, ClientIds.agentTransactionalIdPrefix(s), PatternType.PREFIXED,
                            AclOperation.WRITE, "commits a job's records and offset in one transaction (segment " + s + "'s ids only)"));
                }
                g.add(topic(principal, Topics.OBSERVATIONS, PatternType.LITERAL, AclOperation.WRITE, "publishes one observation per address"));
                g.add(topic(principal, Topics.JOB_STATUS, PatternType.LITERAL, AclOperation.WRITE, "publishes each job's status"));
                g.add(topic(principal, Topics.DEAD_LETTER, PatternType.LITERAL, AclOperation.WRITE, "sets aside a job record it cannot decode"));
            }
            case matcher -> {
                g.add(topic(principal, Topics.OBSERVATIONS, PatternType.LITERAL, AclOperation.READ, "reads the observations to match"));
                g.add(grant(principal, ResourceType.GROUP, ClientIds.MATCHER_GROUP, PatternType.LITERAL, AclOperation.READ,
                        "shares observations with the other matchers and commits their offsets"));
                g.add(grant(principal, ResourceType.TRANSACTIONAL_ID, ClientIds.MATCHER_TRANSACTIONAL_ID_PREFIX, PatternType.PREFIXED,
                        AclOperation.WRITE, "commits verdicts and offsets in one transaction"));
                g.add(topic(principal, Topics.VERDICTS, PatternType.LITERAL, AclOperation.WRITE, "publishes each verdict"));
                g.add(topic(principal, Topics.VERDICTS_JSON, PatternType.LITERAL, AclOperation.WRITE, "publishes each verdict's JSON form"));
                g.add(topic(principal, Topics.DEAD_LETTER, PatternType.LITERAL, AclOperation.WRITE, "sets aside an observation it cannot decode"));
            }
            default -> throw new IllegalStateException(role.toString());
        }
        return List.copyOf(g);
    }

    private static Grant topic(String principal, String name, PatternType pattern, AclOperation op, String why) {
        return grant(principal, ResourceType.TOPIC, name, pattern, op, why);
    }

    private static Grant grant(String principal, ResourceType type, String name, PatternType pattern, AclOperation op, String why) {
        return new Grant(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)), why);
    }

    /** kafka-acls.sh's spelling of an operation (Read, Write, Create, Describe, IdempotentWrite...). */
    private static String operation(AclOperation op) {
        StringBuilder sb = new StringBuilder();
        for (String w : op.name().split("_")) {
            sb.append(w.charAt(0)).append(w.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
