package io.scanfarm.matcher.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.osdb.OsClass;
import io.scanfarm.matcher.subject.ScanInfo;
import java.util.List;

/** The JSON form of a match: result, the first {@code top} ranked matches, and the verdict lines. */
public final class MatchJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MatchJson() {
    }

    /** Fills {@code result}, {@code matches} and {@code verdict} into {@code node}. */
    public static ObjectNode fill(ObjectNode node, MatchResult result, ScanInfo scan, int top) {
        node.put("result", result.outcome().name());
        ArrayNode matches = node.putArray("matches");
        List<RankedMatch> ranked = result.matches();
        for (int i = 0; i < ranked.size() && i < top; i++) {
            matches.add(match(ranked.get(i)));
        }
        ArrayNode verdict = node.putArray("verdict");
        OsSection.verdict(result, scan).forEach(verdict::add);
        return node;
    }

    public static ObjectNode subject(int index, MatchResult result, ScanInfo scan, int top) {
        ObjectNode node = F.objectNode();
        node.put("subject", index);
        return fill(node, result, scan, top);
    }

    public static ObjectNode error(int index, String message) {
        ObjectNode node = F.objectNode();
        node.put("subject", index);
        node.put("error", message);
        return node;
    }

    private static ObjectNode match(RankedMatch m) {
        ObjectNode o = F.objectNode();
        o.put("name", m.fingerprint().name());
        o.put("accuracy", m.accuracy());
        o.put("score", m.score());
        o.put("line", m.fingerprint().line());
        putClasses(o, m.fingerprint().classes());
        ArrayNode cpes = o.putArray("cpe");
        m.fingerprint().classes().forEach(c -> c.cpes().forEach(cpes::add));
        return o;
    }

    /** A match's {@code classes} array: vendor, family, generation and device type of each (both generations). */
    public static void putClasses(ObjectNode match, List<OsClass> osClasses) {
        ArrayNode classes = match.putArray("classes");
        for (OsClass c : osClasses) {
            ObjectNode cn = classes.addObject();
            cn.put("vendor", c.vendor());
            cn.put("family", c.family());
            cn.put("generation", c.generation());
            cn.put("type", c.deviceType());
        }
    }
}
