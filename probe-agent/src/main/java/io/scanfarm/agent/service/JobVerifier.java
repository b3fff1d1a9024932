package io.scanfarm.agent.service;

import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.JobSignature;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether the agent may run a job: signed by a key it trusts, unaltered, not expired, not created in
 * the future, and not a replay of a job id it already ran from another record. The signature proves who asked;
 * the allowlist and rate ceiling, applied after this, still bound what may be asked. Jobs without a signature
 * pass only when the agent was started to accept them.
 */
public final class JobVerifier {

    /** Clocks of coordinator and agent may differ this much. */
    static final long CLOCK_SKEW_MS = 5 * 60_000L;
    /** Job ids remembered for replay detection; older ones have expired by the time they are forgotten. */
    private static final int REMEMBERED = 100_000;

    private final Map<String, PublicKey> trusted;
    private final boolean acceptUnsigned;
    private final Map<String, String> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    private JobVerifier(Map<String, PublicKey> trusted, boolean acceptUnsigned) {
        this.trusted = Map.copyOf(trusted);
        this.acceptUnsigned = acceptUnsigned;
    }

    /** Runs only jobs signed by one of these keys. */
    public static JobVerifier trusting(Iterable<PublicKey> keys) {
        Map<String, PublicKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(JobSignature.keyId(k), k));
        if (byId.isEmpty()) {
            throw new IllegalArgumentException("no trusted job-signing keys: give at least one public key, or run unsigned explicitly");
        }
        return new JobVerifier(byId, false);
    }

    /** Runs unsigned jobs too (signed ones must still verify): only when an operator asked for it. */
    public static JobVerifier acceptingUnsigned(Iterable<PublicKey> keys) {
        Map<String, PublicKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(JobSignature.keyId(k), k));
        return new JobVerifier(byId, true);
    }

    /**
     * Null when the job may run, else why not (the words of a REJECTED status). {@code position} names the
     * record (topic/partition@offset): the same job read again from the same record, after a crash, is no replay.
     */
    public synchronized String refusal(ScanJob job, long nowMs, String position) {
        if (job.getSignature().isEmpty()) {
            if (!acceptUnsigned) {
                return "unsigned job: this agent runs only jobs signed by a trusted key";
            }
        } else {
            PublicKey key = trusted.get(job.getIssuerKeyId());
            if (key == null) {
                return "signed by an unknown key '" + job.getIssuerKeyId() + "'";
            }
            if (!JobSignature.verify(job, key)) {
                return "bad signature: the job was altered after signing, or not signed by key " + job.getIssuerKeyId();
            }
        }
        if (job.getExpiresAtMs() <= 0) {
            return "the job has no expiry";
        }
        if (job.getExpiresAtMs() <= nowMs) {
            return "expired " + (nowMs - job.getExpiresAtMs()) / 1000 + " s ago";
        }
        if (job.getCreatedAtMs() > nowMs + CLOCK_SKEW_MS) {
            return "created " + (job.getCreatedAtMs() - nowMs) / 1000 + " s in the future";
        }
        String first = seen.putIfAbsent(job.getJobId(), position);
        if (first != null && !first.equals(position)) {
            return "replay: job " + job.getJobId() + " was already run (from " + first + ")";
        }
        return null;
    }

    /** A refusal's reason as a short meter tag. */
    static String reasonTag(String refusal) {
        if (refusal.startsWith("unsigned")) {
            return "unsigned";
        } else if (refusal.startsWith("signed by an unknown")) {
            return "unknown-key";
        } else if (refusal.startsWith("bad signature")) {
            return "bad-signature";
        } else if (refusal.startsWith("replay")) {
            return "replay";
        } else if (refusal.startsWith("expired") || refusal.contains("no expiry")) {
            return "expired";
        }
        return "not-yet-valid";
    }
}
