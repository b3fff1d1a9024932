package io.scanfarm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Collectors;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.service.VerdictEcs;
import io.scanfarm.matcher.service.VerdictBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.matcher.gen1.Gen1Json;
import io.scanfarm.matcher.gen1.Gen1Matcher;
import io.scanfarm.matcher.gen1.Gen1OsSection;
import io.scanfarm.matcher.gen1.Gen1ParsedSubject;
import io.scanfarm.matcher.gen1.Gen1SubjectParser;
import io.scanfarm.matcher.gen1.Gen1Verdict;
import io.scanfarm.matcher.load.Gen1DbFiles;
import io.scanfarm.matcher.load.OsDbLoadException;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.osdb.OsDbFormatException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scanfarm match}: the verdict Nmap printed for subject fingerprints, offline, for either generation. */
@Command(name = "match",
        mixinStandardHelpOptions = true,
        description = {
            "Match subject fingerprints and print what Nmap would print.",
            "--profile nmap2 (the default): nmap-os-db, as Nmap 7.93 -O --osscan-guess. Input: Nmap's fingerprint forms "
                + "(one test per line, or the wrapped OS: lines of nmap -O).",
            "--profile nmap1: nmap-os-fingerprints, first-generation OS detection as Nmap 3.x/4.x -O. Input: SInfo(...), "
                + "TSeq(...), T1(...)..T7(...), PU(...) lines as Nmap printed them under 'TCP/IP fingerprint:'.",
            "Either way: '#' comments, subjects separated by blank lines, several files read in turn."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every subject matched", "1:some subjects could not be parsed (each reported; the others matched)",
            "2:usage error, missing input, or a missing or malformed database"})
final class MatchCommand implements Callable<Integer> {

    enum Format { text, json, ecs, csv, xml }

    enum Profile { nmap2, nmap1 }

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "nmap2",
            description = "nmap2 (second generation, the default) or nmap1 (first generation)")
    Profile profile;

    @Option(names = "--os-db", paramLabel = "PATH",
            description = {"the database: nmap-os-db for nmap2, nmap-os-fingerprints for nmap1",
                "(default: that file in $NMAPDIR, /usr/share/nmap, /usr/local/share/nmap; modern Nmap ships no nmap-os-fingerprints)"})
    Path osDb;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = {"text (Nmap-like, the default), json (one object per subject per line), ecs (Elastic Common Schema",
                "lines, the subject under scanfarm.subject), csv (a row per subject) or xml (Nmap's XML, valid against nmap.dtd;",
                "a subject has no address, its name is the host name)"})
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the results to FILE instead of standard output")
    Path output;

    /** Where results go: standard output or the --output file, for the length of the command. */
    private PrintWriter out;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "ranked matches to list in JSON (default ${DEFAULT-VALUE}, at most 36)")
    int top;

    @Option(names = "--osscan-guess",
            description = "nmap1: print guesses when nothing matches perfectly, as Nmap's --osscan-guess (nmap2 output always does)")
    boolean osscanGuess;

    @Parameters(arity = "1..*", paramLabel = "FILE|-", description = "subject fingerprints, or - for standard input")
    List<String> inputs;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Input(String name, String text) {
    }

    @Override
    public Integer call() throws Exception {
        if (top < 0) {
            throw new UserError("--top must be 0 or more, got " + top);
        }
        List<Input> texts = new ArrayList<>();
        for (String input : inputs) {
            String name = input.equals("-") ? "<stdin>" : input;
            texts.add(new Input(name, readInput(input, name)));
        }
        return ResultsOutput.write(output, spec.commandLine().getOut(), w -> {
            out = w;
            return profile == Profile.nmap1 ? matchFirstGeneration(texts) : matchSecondGeneration(texts);
        });
    }

    private int matchSecondGeneration(List<Input> texts) throws IOException {
        OsMatcher matcher;
        OsDbFiles.Loaded db;
        try {
            db = Preflight.database(osDb);
            matcher = OsMatcher.compile(db.db());
        } catch (IllegalArgumentException e) {
            throw new UserError("the database cannot be used: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        int index = 0;
        for (Input in : texts) {
            List<ParsedSubject> subjects = SubjectParser.parseAll(in.text());
            if (subjects.isEmpty()) {
                throw new UserError(in.name() + ": no subject fingerprints found (expected lines like SEQ(...), T1(...) or OS:...)");
            }
            for (ParsedSubject s : subjects) {
                index++;
                if (!s.ok()) {
                    failed++;
                    reportBad(in.name(), index, s.errorLine(), s.error(), MatchJson.error(index, "line " + s.errorLine() + ": " + s.error()));
                    continue;
                }
                MatchResult result = matcher.match(s.subject());
                if (format == Format.json) {
                    out.println(JSON.writeValueAsString(MatchJson.subject(index, result, s.subject().scan(), top)));
                } else if (format != Format.text) {
                    String fingerprint = s.subject().tests().stream().map(Object::toString).collect(Collectors.joining("\n"));
                    emit(out, VerdictBuilder.ofSubject(result, s.subject(), fingerprint, db.path().toString(), db.sha256()),
                            index, in.name(), s.line());
                } else {
                    heading(out, index, in.name(), s.line());
                    OsSection.withDistance(result, s.subject().scan()).forEach(out::println);
                }
            }
        }
        finish(out);
        return failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private void finish(PrintWriter out) {
        if (xml != null) {
            xml.finish(true);
        }
        out.flush();
    }

    private int matchFirstGeneration(List<Input> texts) throws IOException {
        Gen1Matcher matcher;
        Gen1DbFiles.Loaded db;
        try {
            db = Gen1DbFiles.load(osDb != null ? osDb : Gen1DbFiles.locate(System.getenv()));
            matcher = Gen1Matcher.compile(db.db());
        } catch (OsDbLoadException | OsDbFormatException e) {
            throw new UserError(e.getMessage());
        }
        int failed = 0;
        int index = 0;
        for (Input in : texts) {
            List<Gen1ParsedSubject> subjects = Gen1SubjectParser.parseAll(in.text());
            if (subjects.isEmpty()) {
                throw new UserError(in.name() + ": no subject fingerprints found (expected lines like TSeq(...), T1(...) .. PU(...))");
            }
            for (Gen1ParsedSubject s : subjects) {
                index++;
                if (!s.ok()) {
                    failed++;
                    reportBad(in.name(), index, s.errorLine(), s.error(), Gen1Json.error(index, "line " + s.errorLine() + ": " + s.error()));
                    continue;
                }
                Gen1Verdict verdict = Gen1OsSection.verdict(matcher.match(s.subject()), s.subject(), osscanGuess);
                if (format == Format.json) {
                    out.println(JSON.writeValueAsString(Gen1Json.subject(index, verdict, s.subject(), top)));
                } else if (format != Format.text) {
                    emit(out, VerdictBuilder.ofSubject(verdict, String.join("\n", s.subject().printed()), db.path().toString(),
                            db.sha256()), index, in.name(), s.line());
                } else {
                    heading(out, index, in.name(), s.line());
                    verdict.lines().forEach(out::println);
                }
            }
        }
        finish(out);
        return failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private NmapXml xml;
    private boolean csvHeader;

    /** A subject's verdict as an ECS document, a CSV row or an XML host; the subject named where the IP would be. */
    private void emit(PrintWriter out, OsVerdict v, int index, String name, int line) throws IOException {
        OsVerdict labelled = v.toBuilder().setDetail("subject " + index + " (" + name + ":" + line + ")")
                .setMatchedAtMs(System.currentTimeMillis()).build();
        switch (format) {
            case ecs -> {
                ObjectNode doc = VerdictEcs.of(labelled);
                ((ObjectNode) doc.get("scanfarm")).put("subject", labelled.getDetail());
                out.println(JSON.writeValueAsString(doc));
            }
            case csv -> {
                if (!csvHeader) {
                    out.println(VerdictCsv.header());
                    csvHeader = true;
                }
                out.println(VerdictCsv.row(labelled));
            }
            case xml -> {
                if (xml == null) {
                    xml = new NmapXml(out, "scanfarm match", Version.number());
                }
                xml.host(labelled);
            }
            default -> throw new IllegalStateException(format.name());
        }
    }

    private void reportBad(String name, int index, int line, String error, ObjectNode json) throws IOException {
        spec.commandLine().getErr().println(name + ":" + line + ": " + error);
        if (format == Format.json) {
            out.println(JSON.writeValueAsString(json));
        }
    }

    private static void heading(PrintWriter out, int index, String name, int line) {
        if (index > 1) {
            out.println();
        }
        out.println("Subject " + index + " (" + name + ":" + line + "):");
    }

    private static String readInput(String input, String name) throws IOException {
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
