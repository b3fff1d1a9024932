package io.scanfarm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scanfarm acls}: grants one role its least-privilege ACLs through Kafka's admin API, or prints them. */
@Command(name = "acls", mixinStandardHelpOptions = true,
        description = {"Grant one role of the farm its least-privilege Kafka ACLs, or print them as kafka-acls.sh commands (--dry-run).",
            "The same ACLs as deploy/kafka/acls. --config holds the admin's client settings (a super user, or ALTER on the cluster)."})
final class AclsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the admin's Kafka client properties (bootstrap.servers, security.protocol, sasl.*, ssl.*), or a service configuration's kafka.* keys; needed unless --dry-run")
    Path config;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "coordinator, agent or matcher")
    KafkaAcls.Role role;

    @Option(names = "--principal", required = true, paramLabel = "User:NAME", description = "the role's principal, e.g. User:agent-lab")
    String principal;

    @Option(names = "--segment", paramLabel = "NAME", description = "an agent's segment (repeat for several); agents only")
    List<String> segments = new ArrayList<>();

    @Option(names = "--dry-run", description = "print the ACLs as kafka-acls.sh commands and change nothing")
    boolean dryRun;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "give up on the broker after this long (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        List<KafkaAcls.Grant> grants;
        try {
            grants = KafkaAcls.forRole(role, principal, segments);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            Properties p = config == null ? new Properties() : KafkaClientFile.load(config);
            String bootstrap = p.getProperty("bootstrap.servers", "HOST:PORT");
            String commandConfig = config == null ? "admin.properties" : config.toString();
            for (KafkaAcls.Grant g : grants) {
                out.println("# " + g.why());
                out.println(g.kafkaAclsCommand(bootstrap, commandConfig));
            }
            out.flush();
            return ExitCodes.OK;
        }
        if (config == null) {
            throw new UserError("--config FILE is needed to change ACLs (the admin's client settings), or use --dry-run");
        }
        Properties p = KafkaClientFile.load(config);
        String bootstrap = p.getProperty("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new UserError(config + ": 'bootstrap.servers' is required (the Kafka brokers, host:port)");
        }
        p.putIfAbsent("default.api.timeout.ms", String.valueOf(timeoutSeconds * 1000L));
        try (Admin admin = Admin.create(p)) {
            admin.createAcls(grants.stream().map(KafkaAcls.Grant::binding).toList()).all().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw refused(e.getCause(), bootstrap);
        } catch (TimeoutException e) {
            throw new UserError("no answer from Kafka at " + bootstrap + " within " + timeoutSeconds + " s: is the broker running and reachable?");
        } catch (KafkaException e) {
            throw refused(e, bootstrap);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while talking to Kafka");
        }
        for (KafkaAcls.Grant g : grants) {
            out.println("# " + g.why());
            out.println("added: " + g.binding().entry().principal() + " " + g.binding().entry().operation() + " "
                    + g.binding().pattern().resourceType() + " " + g.binding().pattern().name() + " (" + g.binding().pattern().patternType() + ")");
        }
        out.println("scanfarm acls: " + grants.size() + " ACLs in place for " + principal + " as " + role
                + (segments.isEmpty() ? "" : " of segment" + (segments.size() == 1 ? " " : "s ") + String.join(", ", segments)));
        out.flush();
        return ExitCodes.OK;
    }

    private UserError refused(Throwable cause, String bootstrap) {
        if (cause instanceof SecurityDisabledException) {
            return new UserError("Kafka at " + bootstrap + " has no authorizer (authorizer.class.name): it enforces no ACLs to set");
        }
        if (cause instanceof ClusterAuthorizationException) {
            return new UserError(config + ": this principal may not change ACLs: use a super user or one with ALTER on the cluster");
        }
        if (cause instanceof AuthenticationException) {
            return new UserError(config + ": Kafka at " + bootstrap + " refused the login: " + cause.getMessage());
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new UserError("no answer from Kafka at " + bootstrap + " within " + timeoutSeconds + " s: is the broker running and reachable?");
        }
        return new UserError("Kafka at " + bootstrap + " refused the ACLs: " + cause.getMessage());
    }
}
