package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.proto.RankedMatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictCsvTest {

    @Test
    void aRowReadsBackIntoItsColumnsWithCommasAndQuotesIntact() throws Exception {
        OsVerdict v = OsVerdict.newBuilder().setTarget("198.18.1.2").setHostStatus(HostStatus.UP).setOutcome(Outcome.GUESS)
                .setNmapResult("SUCCESS")
                .addMatches(RankedMatch.newBuilder().setName("Foo, \"Bar\" 1.0").setAccuracy(96)
                        .addClasses(OsClassInfo.newBuilder().setVendor("Foo").setFamily("embedded").setDeviceType("router")
                                .addCpe("cpe:/h:foo:bar").addCpe("cpe:/o:foo:os")))
                .addMatches(RankedMatch.newBuilder().setName("Linux 3.2").setAccuracy(93))
                .build();
        String csv = VerdictCsv.header() + "\n" + VerdictCsv.row(v) + "\n";
        MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv);
        Map<String, String> row = it.next();
        assertEquals("198.18.1.2", row.get("ip"));
        assertEquals("up", row.get("status"));
        assertEquals("Foo, \"Bar\" 1.0", row.get("best_match"));
        assertEquals("96", row.get("accuracy"));
        assertEquals("router", row.get("device_type"));
        assertEquals("cpe:/h:foo:bar cpe:/o:foo:os", row.get("cpe"));
        assertEquals("Linux 3.2 (93%)", row.get("other_matches"));
        assertEquals(VerdictCsv.COLUMNS.size(), row.size());
    }
}
