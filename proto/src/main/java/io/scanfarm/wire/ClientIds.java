package io.scanfarm.wire;

/**
 * The consumer group and transactional id names the services use, in one place: Kafka's ACLs name them, so a
 * service and its role's ACLs (deploy/kafka/acls, scanfarm acls) must agree on every character.
 */
public final class ClientIds {

    /** Agents of one segment share its jobs in the group {@code scanfarm-agent-<segment>}. */
    public static final String AGENT_GROUP_PREFIX = "scanfarm-agent-";
    /** Agents' transactional ids: {@code scanfarm-agent-<segment>/<agent id>}. */
    public static final String AGENT_TRANSACTIONAL_ID_PREFIX = "scanfarm-agent-";
    public static final String MATCHER_GROUP = "scanfarm-matcher";
    /** Matchers' transactional ids: {@code scanfarm-matcher-<instance id>}. */
    public static final String MATCHER_TRANSACTIONAL_ID_PREFIX = "scanfarm-matcher-";
    /** The long-running coordinator's watch over job status and verdicts: a consumer group that commits. */
    public static final String COORDINATOR_GROUP = "scanfarm-coordinator";
    /** The scan tracker assigns partitions and never joins or commits: its group needs no ACL. */
    public static final String TRACKER_GROUP = "scanfarm-tracker";

    private ClientIds() {
    }

    public static String agentGroup(String segment) {
        return AGENT_GROUP_PREFIX + segment;
    }

    /**
     * What every transactional id of a segment's agents starts with. The '/' cannot occur in a segment name (a
     * topic name's characters), so segment "a" does not cover segment "a.b"'s ids and an agent's credentials
     * cannot fence another segment's agents.
     */
    public static String agentTransactionalIdPrefix(String segment) {
        return AGENT_TRANSACTIONAL_ID_PREFIX + segment + "/";
    }

    public static String agentTransactionalId(String segment, String agentId) {
        return agentTransactionalIdPrefix(segment) + agentId;
    }

    public static String matcherTransactionalId(String instanceId) {
        return MATCHER_TRANSACTIONAL_ID_PREFIX + instanceId;
    }
}
