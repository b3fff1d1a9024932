package io.scanfarm.matcher.oracle;

import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.osdb.OsDbParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One matcher for the fuzz tests, compiled once: from the oracle's nmap-os-db when ../shared is beside the
 * checkout, else from a small hand-made database, so the properties still run (and still match) without it.
 */
public final class OracleMatcher {

    /** Enough of a database to score every test a computed fingerprint carries. */
    static final String SMALL_DB = String.join("\n",
            "MatchPoints",
            "SEQ(SP=25%GCD=75%ISR=25%TI=100%CI=50%II=100%SS=80%TS=100)",
            "OPS(O1=20%O2=20%O3=20%O4=20%O5=20%O6=20)",
            "WIN(W1=15%W2=15%W3=15%W4=15%W5=15%W6=15)",
            "ECN(R=100%DF=20%T=15%TG=15%W=15%O=15%CC=100%Q=20)",
            "T1(R=100%DF=20%T=15%TG=15%S=20%A=20%F=30%RD=20%Q=20)",
            "T2(R=80%DF=20%T=15%TG=15%W=25%S=20%A=20%F=30%O=10%RD=20%Q=20)",
            "T5(R=100%DF=20%T=15%TG=15%W=25%S=20%A=20%F=30%O=10%RD=20%Q=20)",
            "U1(R=50%DF=20%T=15%TG=15%IPL=100%UN=100%RIPL=100%RID=100%RIPCK=100%RUCK=100%RUD=100)",
            "IE(R=50%DFI=40%T=15%TG=15%CD=100)",
            "",
            "Fingerprint Lab Linux",
            "Class Linux | Linux | 5.X | general purpose",
            "CPE cpe:/o:linux:linux_kernel:5",
            "SEQ(SP=FA-10E%GCD=1-6%ISR=100-110%TI=Z%CI=Z%II=I%TS=A|21)",
            "OPS(O1=M5B4ST11NWA|M5B4ST11NW7%O2=M5B4ST11NWA%O3=M5B4NNT11NWA%O4=M5B4ST11NWA%O5=M5B4ST11NWA%O6=M5B4ST11)",
            "WIN(W1=FE88%W2=FE88%W3=FE88%W4=FE88%W5=FE88%W6=FE88)",
            "ECN(R=Y%DF=Y%T=3B-45%TG=40%W=FAF0%O=M5B4NNSNWA%CC=Y|N%Q=)",
            "T1(R=Y%DF=Y%T=3B-45%TG=40%S=O%A=S+%F=AS%RD=0%Q=)",
            "T2(R=N)",
            "T5(R=Y%DF=Y%T=3B-45%TG=40%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)",
            "U1(DF=N%T=3B-45%TG=40%IPL=164%UN=0%RIPL=G%RID=G%RIPCK=G%RUCK=G%RUD=G)",
            "IE(DFI=N%T=3B-45%TG=40%CD=S)",
            "",
            "Fingerprint Lab Router",
            "Class Acme | RouterOS | | router",
            "SEQ(SP=0-5%GCD=>1000|1%ISR=<10%TI=I|RD%TS=U)",
            "T1(R=Y%DF=N%T=FF%S=O%A=S+%F=AS%RD=0%Q=)",
            "T5(R=Y%DF=N%T=FF%W=0%S=A%A=S+%F=AR%O=%RD=0%Q=)",
            "");

    private static OsMatcher matcher;

    private OracleMatcher() {
    }

    public static synchronized OsMatcher get() {
        if (matcher == null) {
            Path db = SharedTestData.root().resolve("testdata/nmap-oracle/nmap-os-db-7.93");
            try {
                matcher = OsMatcher.compile(Files.isRegularFile(db) ? OsDbParser.parseUtf8(Files.readAllBytes(db), db.toString())
                        : OsDbParser.parse(SMALL_DB, "small.db"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return matcher;
    }

    /** The oracle database's text, or the small one without ../shared. */
    public static String databaseText() {
        Path db = SharedTestData.root().resolve("testdata/nmap-oracle/nmap-os-db-7.93");
        try {
            return Files.isRegularFile(db) ? Files.readString(db) : SMALL_DB;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
