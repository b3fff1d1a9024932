package io.scanfarm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.report.MatchJson;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.subject.ParsedSubject;
import io.scanfarm.matcher.subject.SubjectParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scanfarm match}: Nmap 7.93's verdict for subject fingerprints, offline. */
@Command(name = "match",
        mixinStandardHelpOptions = true,
        description = {
            "Match subject fingerprints against nmap-os-db and print what Nmap 7.93 (-O --osscan-guess) would print.",
            "Input: Nmap's fingerprint forms (one test per line, or the wrapped OS: lines of nmap -O), "
                + "'#' comments, subjects separated by blank lines."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every subject matched", "1:some subjects could not be parsed (each reported; the others matched)",
            "2:usage error, missing input, or a missing or malformed database"})
final class MatchCommand implements Callable<Integer> {

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--os-db", paramLabel = "PATH",
            description = "nmap-os-db to use (default: $NMAPDIR/nmap-os-db, /usr/share/nmap/nmap-os-db, /usr/local/share/nmap/nmap-os-db)")
    Path osDb;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (Nmap-like, the default) or json (one object per subject per line)")
    Format format;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "ranked matches to list in JSON (default ${DEFAULT-VALUE}, at most 36)")
    int top;

    @Parameters(index = "0", paramLabel = "FILE|-", description = "subject fingerprints, or - for standard input")
    String input;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        if (top < 0) {
            throw new UserError("--top must be 0 or more, got " + top);
        }
        String name = input.equals("-") ? "<stdin>" : input;
        String text = readInput(name);
        OsMatcher matcher;
        try {
            matcher = OsMatcher.compile(Preflight.database(osDb).db());
        } catch (IllegalArgumentException e) {
            throw new UserError("the database cannot be used: " + e.getMessage());
        }
        List<ParsedSubject> subjects = SubjectParser.parseAll(text);
        if (subjects.isEmpty()) {
            throw new UserError(name + ": no subject fingerprints found (expected lines like SEQ(...), T1(...) or OS:...)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (ParsedSubject s : subjects) {
            if (!s.ok()) {
                failed++;
                err.println(name + ":" + s.errorLine() + ": " + s.error());
                if (format == Format.json) {
                    out.println(JSON.writeValueAsString(MatchJson.error(s.index(), "line " + s.errorLine() + ": " + s.error())));
                }
                continue;
            }
            MatchResult result = matcher.match(s.subject());
            if (format == Format.json) {
                ObjectNode node = MatchJson.subject(s.index(), result, s.subject().scan(), top);
                out.println(JSON.writeValueAsString(node));
            } else {
                if (s.index() > 1) {
                    out.println();
                }
                out.println("Subject " + s.index() + " (" + name + ":" + s.line() + "):");
                OsSection.withDistance(result, s.subject().scan()).forEach(out::println);
            }
        }
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private String readInput(String name) throws IOException {
        byte[] bytes;
        try {
            bytes = input.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(input));
        } catch (NoSuchFileException e) {
            throw new UserError(name + ": no such file");
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + e.getMessage());
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new UserError(name + ": binary data (a NUL byte at offset " + i + "), not fingerprint text");
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
