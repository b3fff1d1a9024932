package io.scanfarm.matcher.gen1;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.matcher.report.MatchJson;
import java.util.List;

/**
 * The JSON form of a first-generation verdict, shaped like the second generation's (MatchJson): {@code result}
 * (Nmap's overall result), {@code matches}, {@code verdict} lines, plus {@code profile}, {@code outcome}, the
 * number of perfect matches, the try used, and the subject's printed fingerprint.
 */
public final class Gen1Json {

    public static final String PROFILE = "nmap1";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Gen1Json() {
    }

    /** Fills the verdict into {@code node}, listing the first {@code top} ranked matches. */
    public static ObjectNode fill(ObjectNode node, Gen1Verdict verdict, Gen1Subject subject, int top) {
        Gen1Result result = verdict.result();
        node.put("profile", PROFILE);
        node.put("result", result.outcome().name());
        node.put("outcome", verdict.kind().name());
        node.put("perfect", result.perfectMatches());
        node.put("try", result.tryIndex() + 1);
        node.put("tries", result.tries());
        ArrayNode matches = node.putArray("matches");
        List<Gen1Match> ranked = result.matches();
        for (int i = 0; i < ranked.size() && i < top; i++) {
            matches.add(match(ranked.get(i)));
        }
        ArrayNode lines = node.putArray("verdict");
        verdict.lines().forEach(lines::add);
        ArrayNode fingerprint = node.putArray("fingerprint");
        subject.printed().forEach(fingerprint::add);
        return node;
    }

    public static ObjectNode subject(int index, Gen1Verdict verdict, Gen1Subject subject, int top) {
        ObjectNode node = F.objectNode();
        node.put("subject", index);
        return fill(node, verdict, subject, top);
    }

    public static ObjectNode error(int index, String message) {
        ObjectNode node = F.objectNode();
        node.put("subject", index);
        node.put("profile", PROFILE);
        node.put("error", message);
        return node;
    }

    private static ObjectNode match(Gen1Match m) {
        ObjectNode o = F.objectNode();
        o.put("name", m.fingerprint().name());
        o.put("accuracy", m.accuracy());
        o.put("score", m.score());
        o.put("matched", m.matched());
        o.put("compared", m.compared());
        o.put("line", m.fingerprint().line());
        MatchJson.putClasses(o, m.fingerprint().classes());
        return o;
    }
}
