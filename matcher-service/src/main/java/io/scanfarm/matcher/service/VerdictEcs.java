package io.scanfarm.matcher.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.RankedMatch;
import java.time.Instant;
import java.util.Locale;

/**
 * A verdict as an Elastic Common Schema document for a SIEM: {@code @timestamp}, {@code host.ip},
 * {@code host.os.*} from the best match, {@code observer.*} (the agent), {@code event.*}, and the whole verdict
 * under {@code scanfarm.*} (ranked matches, Nmap's lines, the fingerprint).
 */
public final class VerdictEcs {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private VerdictEcs() {
    }

    public static ObjectNode of(OsVerdict v) {
        ObjectNode o = F.objectNode();
        o.put("@timestamp", Instant.ofEpochMilli(v.getMatchedAtMs()).toString());
        ObjectNode host = o.putObject("host");
        if (!v.getTarget().isEmpty()) { // a subject matched offline has no address
            host.putArray("ip").add(v.getTarget());
        }
        if (v.getMatchesCount() > 0 && v.getHostStatus() == HostStatus.UP) {
            RankedMatch best = v.getMatches(0);
            ObjectNode os = host.putObject("os");
            os.put("name", best.getName());
            os.put("full", best.getName());
            if (best.getClassesCount() > 0) {
                OsClassInfo c = best.getClasses(0);
                os.put("family", c.getFamily().toLowerCase(Locale.ROOT));
                String type = ecsType(c.getFamily());
                if (type != null) {
                    os.put("type", type);
                }
                if (!c.getGeneration().isEmpty()) {
                    os.put("version", c.getGeneration());
                }
                host.put("type", c.getDeviceType());
            }
        }
        ObjectNode observer = o.putObject("observer");
        observer.put("type", "scanner");
        observer.put("vendor", "scanfarm");
        observer.put("product", "scanfarm");
        if (!v.getAgentId().isEmpty()) {
            observer.put("name", v.getAgentId());
        }
        ObjectNode event = o.putObject("event");
        event.put("kind", "event");
        event.putArray("category").add("host");
        event.putArray("type").add("info");
        event.put("dataset", "scanfarm.os");
        event.put("module", "scanfarm");
        event.put("outcome", v.getHostStatus() == HostStatus.UP ? "success" : "failure");
        ObjectNode sf = o.putObject("scanfarm");
        sf.setAll(VerdictJson.of(v));
        sf.remove("ip");
        if (!v.getSegment().isEmpty()) {
            o.putObject("network").put("name", v.getSegment());
        }
        if (!v.getTarget().isEmpty()) {
            ArrayNode related = o.putObject("related").putArray("ip");
            related.add(v.getTarget());
        }
        return o;
    }

    /** ECS host.os.type for an Nmap OS family, or null when ECS has no word for it. */
    static String ecsType(String family) {
        String f = family.toLowerCase(Locale.ROOT);
        if (f.equals("linux")) {
            return "linux";
        }
        if (f.equals("windows")) {
            return "windows";
        }
        if (f.equals("mac os x") || f.equals("macos")) {
            return "macos";
        }
        if (f.equals("ios")) {
            return "ios";
        }
        if (f.equals("android")) {
            return "android";
        }
        if (f.contains("bsd") || f.equals("solaris") || f.equals("aix") || f.equals("hp-ux") || f.equals("irix")) {
            return "unix";
        }
        return null;
    }
}
