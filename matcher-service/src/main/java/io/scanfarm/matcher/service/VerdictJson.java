package io.scanfarm.matcher.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.RankedMatch;
import java.util.Locale;

/**
 * The JSON line of a verdict (scanfarm.verdicts.json and {@code scanfarm scan --format json}): the fields of
 * {@code scanfarm match --format json} (result, the first ten matches, verdict) with the host's address,
 * status, outcome, fingerprint test lines and SCAN line, and where it came from.
 */
public final class VerdictJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int TOP = 10;

    private VerdictJson() {
    }

    public static ObjectNode of(OsVerdict v) {
        ObjectNode o = F.objectNode();
        o.put("ip", v.getTarget());
        o.put("status", v.getHostStatus() == HostStatus.UP ? "up" : v.getHostStatus().name().toLowerCase(Locale.ROOT));
        o.put("outcome", v.getOutcome().name());
        if (v.getHostStatus() != HostStatus.UP) {
            o.put("detail", v.getDetail());
        } else {
            o.put("result", v.getNmapResult());
            ArrayNode matches = o.putArray("matches");
            for (int i = 0; i < v.getMatchesCount() && i < TOP; i++) {
                RankedMatch m = v.getMatches(i);
                ObjectNode mn = matches.addObject();
                mn.put("name", m.getName());
                mn.put("accuracy", m.getAccuracy());
                mn.put("score", m.getScore());
                mn.put("line", m.getLine());
                ArrayNode classes = mn.putArray("classes");
                ArrayNode cpes = mn.putArray("cpe");
                for (OsClassInfo c : m.getClassesList()) {
                    ObjectNode cn = classes.addObject();
                    cn.put("vendor", c.getVendor());
                    cn.put("family", c.getFamily());
                    if (c.getGeneration().isEmpty()) {
                        cn.putNull("generation");
                    } else {
                        cn.put("generation", c.getGeneration());
                    }
                    cn.put("type", c.getDeviceType());
                    c.getCpeList().forEach(cpes::add);
                }
            }
            ArrayNode verdict = o.putArray("verdict");
            v.getVerdictLinesList().forEach(verdict::add);
            if (v.getMalformedResponsesCount() > 0) {
                ObjectNode malformed = o.putObject("malformed_responses");
                new java.util.TreeMap<>(v.getMalformedResponsesMap()).forEach(malformed::put);
            }
            ArrayNode fp = o.putArray("fingerprint");
            for (String line : v.getFingerprint().split("\n")) {
                if (line.startsWith("SCAN(")) {
                    o.put("scan", line);
                } else if (!line.isEmpty()) {
                    fp.add(line);
                }
            }
        }
        o.put("scan_id", v.getScanId());
        o.put("agent", v.getAgentId());
        o.put("segment", v.getSegment());
        if (!v.getDbSha256().isEmpty()) {
            o.put("db_sha256", v.getDbSha256());
        }
        return o;
    }
}
