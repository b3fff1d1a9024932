package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command line: the subcommand a run names is the only one built; every other run sees them all. */
class MainTest {

    private static final Set<String> ALL = Set.of("scan", "match", "broker", "coordinator", "agent", "matcher", "config",
            "keygen", "acls", "help");

    @Test
    void aNamedSubcommandIsBuiltAlone() {
        for (String name : List.of("scan", "match", "broker", "coordinator", "agent", "matcher", "config", "keygen", "acls")) {
            assertEquals(Set.of(name), Main.commandLine(name).getSubcommands().keySet(), name);
        }
    }

    @Test
    void usageHelpAndUnknownWordsGetEverySubcommand() {
        for (String first : List.of("", "help", "--help", "-V", "scna", "SCAN")) {
            assertEquals(ALL, Main.commandLine(first).getSubcommands().keySet(), first);
        }
    }

    @Test
    void helpOnASubcommandAndTheErrorForAnUnknownWordAreAsBefore() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "help", "scan"));
        assertTrue(out.toString().startsWith("Usage: scanfarm scan "), out.toString());

        StringWriter out2 = new StringWriter();
        StringWriter err2 = new StringWriter();
        assertEquals(ExitCodes.SETUP, Main.run(new PrintWriter(out2, true), new PrintWriter(err2, true), "scna"));
        assertTrue(err2.toString().contains("Unmatched argument at index 0: 'scna'"), err2.toString());
        assertTrue(err2.toString().contains("Try 'scanfarm --help'."), err2.toString());
    }
}
