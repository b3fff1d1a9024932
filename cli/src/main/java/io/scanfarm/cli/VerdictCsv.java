package io.scanfarm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.RankedMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One CSV row per host for inventory sheets: the address, how it went, and the best match with its class. */
final class VerdictCsv {

    static final List<String> COLUMNS = List.of("ip", "status", "outcome", "nmap_result", "best_match", "accuracy",
            "device_type", "vendor", "family", "generation", "cpe", "other_matches", "detail", "scan_id", "agent",
            "segment", "db_sha256");

    private static final CsvMapper MAPPER = new CsvMapper();
    private static final CsvSchema SCHEMA;

    static {
        CsvSchema.Builder b = CsvSchema.builder();
        COLUMNS.forEach(b::addColumn);
        SCHEMA = b.build();
    }

    private VerdictCsv() {
    }

    static String header() {
        return String.join(",", COLUMNS);
    }

    static String row(OsVerdict v) {
        Map<String, String> r = new LinkedHashMap<>();
        COLUMNS.forEach(c -> r.put(c, ""));
        r.put("ip", v.getTarget());
        r.put("status", v.getHostStatus() == HostStatus.UP ? "up" : v.getHostStatus().name().toLowerCase());
        r.put("outcome", v.getOutcome().name());
        r.put("nmap_result", v.getNmapResult());
        if (v.getMatchesCount() > 0) {
            RankedMatch best = v.getMatches(0);
            r.put("best_match", best.getName());
            r.put("accuracy", Integer.toString(best.getAccuracy()));
            if (best.getClassesCount() > 0) {
                OsClassInfo c = best.getClasses(0);
                r.put("device_type", c.getDeviceType());
                r.put("vendor", c.getVendor());
                r.put("family", c.getFamily());
                r.put("generation", c.getGeneration());
                r.put("cpe", String.join(" ", c.getCpeList()));
            }
            List<String> others = new ArrayList<>();
            for (int i = 1; i < v.getMatchesCount() && i < 10; i++) {
                others.add(v.getMatches(i).getName() + " (" + v.getMatches(i).getAccuracy() + "%)");
            }
            r.put("other_matches", String.join("; ", others));
        }
        r.put("detail", v.getDetail());
        r.put("scan_id", v.getScanId());
        r.put("agent", v.getAgentId());
        r.put("segment", v.getSegment());
        r.put("db_sha256", v.getDbSha256());
        try {
            return MAPPER.writer(SCHEMA).writeValueAsString(r).stripTrailing();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
