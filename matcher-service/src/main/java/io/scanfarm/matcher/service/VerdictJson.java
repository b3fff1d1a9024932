package io.scanfarm.matcher.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.RankedMatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON line of a verdict (scanfarm.verdicts.json and {@code scanfarm scan --format json}): the fields of
 * {@code scanfarm match --format json} (result, the first ten matches, verdict) with the host's address,
 * status, outcome, fingerprint test lines and SCAN line, and where it came from. Written straight to a
 * generator: {@code scanfarm scan} prints thousands of these lines a second, and building a tree for each,
 * then a string, then its bytes, cost the printing thread more than reading the verdicts did.
 */
public final class VerdictJson {

    private static final ObjectMapper TREES = new ObjectMapper();
    private static final int TOP = 10;

    private VerdictJson() {
    }

    /**
     * The verdict's JSON object as a tree, for comparing; what the commands print is written straight to a generator
     * ({@link #write(OsVerdict, String, JsonGenerator)}).
     */
    public static ObjectNode of(OsVerdict v) {
        return tree(g -> write(v, null, g));
    }

    /** What a writer writes to a generator (one JSON object), as a tree: the tokens read back, no text between. */
    static ObjectNode tree(ObjectWriting writer) {
        try (TokenBuffer buffer = new TokenBuffer(TREES, false)) {
            writer.write(buffer);
            return TREES.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a token buffer does no I/O
        }
    }

    /** Writes one JSON object to a generator. */
    interface ObjectWriting {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Writes the verdict's JSON object; {@code target}, when not null, is added as the name the host was given
     * on the command line (when it differs from its address).
     */
    public static void write(OsVerdict v, String target, JsonGenerator g) throws IOException {
        write(v, target, true, g);
    }

    /** As {@link #write(OsVerdict, String, JsonGenerator)}; without the {@code ip} field when {@code withIp} is false. */
    static void write(OsVerdict v, String target, boolean withIp, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (withIp) {
            g.writeStringField("ip", v.getTarget());
        }
        g.writeStringField("status", v.getHostStatus() == HostStatus.UP ? "up" : v.getHostStatus().name().toLowerCase(Locale.ROOT));
        g.writeStringField("outcome", v.getOutcome().name());
        if (v.getHostStatus() != HostStatus.UP) {
            g.writeStringField("detail", v.getDetail());
        } else {
            g.writeStringField("result", v.getNmapResult());
            g.writeArrayFieldStart("matches");
            for (int i = 0; i < v.getMatchesCount() && i < TOP; i++) {
                match(v.getMatches(i), g);
            }
            g.writeEndArray();
            strings("verdict", v.getVerdictLinesList(), g);
            if (v.getMalformedResponsesCount() > 0) {
                g.writeObjectFieldStart("malformed_responses");
                for (Map.Entry<String, Integer> e : new TreeMap<>(v.getMalformedResponsesMap()).entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            List<String> tests = new ArrayList<>();
            String scan = null;
            for (String line : v.getFingerprint().split("\n")) {
                if (line.startsWith("SCAN(")) {
                    scan = line;
                } else if (!line.isEmpty()) {
                    tests.add(line);
                }
            }
            strings("fingerprint", tests, g);
            if (scan != null) {
                g.writeStringField("scan", scan);
            }
        }
        g.writeStringField("scan_id", v.getScanId());
        g.writeStringField("agent", v.getAgentId());
        g.writeStringField("segment", v.getSegment());
        if (!v.getDbSha256().isEmpty()) {
            g.writeStringField("db_sha256", v.getDbSha256());
        }
        if (target != null) {
            g.writeStringField("target", target);
        }
        g.writeEndObject();
    }

    private static void match(RankedMatch m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", m.getName());
        g.writeNumberField("accuracy", m.getAccuracy());
        g.writeNumberField("score", m.getScore());
        g.writeNumberField("line", m.getLine());
        g.writeArrayFieldStart("classes");
        for (OsClassInfo c : m.getClassesList()) {
            g.writeStartObject();
            g.writeStringField("vendor", c.getVendor());
            g.writeStringField("family", c.getFamily());
            if (c.getGeneration().isEmpty()) {
                g.writeNullField("generation");
            } else {
                g.writeStringField("generation", c.getGeneration());
            }
            g.writeStringField("type", c.getDeviceType());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("cpe");
        for (OsClassInfo c : m.getClassesList()) {
            for (String cpe : c.getCpeList()) {
                g.writeString(cpe);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(String field, List<String> values, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
