package io.scanfarm.cli;

import io.scanfarm.matcher.gen1.Gen1Matcher;
import io.scanfarm.matcher.load.Gen1DbFiles;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.agent.net.Privileges;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.load.OsDbLoadException;
import io.scanfarm.matcher.osdb.OsDbFormatException;
import java.nio.file.Path;

/** What commands check before they start, turned into one-sentence errors. */
final class Preflight {

    private Preflight() {
    }

    /** Raw packet access and libpcap, or a UserError naming what is missing. */
    static void requireRawPackets() {
        String missing = Privileges.missing();
        if (missing != null) {
            throw new UserError(missing);
        }
        String noPcap = PcapLibrary.configure();
        if (noPcap != null) {
            throw new UserError(noPcap);
        }
    }

    /** The first-generation database (nmap-os-fingerprints) for NMAP1, compiled, with its identity. */
    static VerdictBuilder.FirstGeneration firstGeneration(Path explicit) {
        try {
            Gen1DbFiles.Loaded l = Gen1DbFiles.load(explicit != null ? explicit : Gen1DbFiles.locate(System.getenv()));
            return new VerdictBuilder.FirstGeneration(Gen1Matcher.compile(l.db()), l.path().toString(), l.sha256());
        } catch (OsDbLoadException | OsDbFormatException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The database at {@code explicit}, else the installed one; a UserError when missing or malformed. */
    static OsDbFiles.Loaded database(Path explicit) {
        try {
            return OsDbFiles.load(explicit != null ? explicit : OsDbFiles.locate(System.getenv()));
        } catch (OsDbLoadException | OsDbFormatException e) {
            throw new UserError(e.getMessage());
        }
    }
}
