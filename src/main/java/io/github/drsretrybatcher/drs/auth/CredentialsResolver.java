package io.github.drsretrybatcher.drs.auth;

import io.github.drsretrybatcher.config.DrsConfig;
import java.util.Optional;
import java.util.Set;

/** Finds the credentials of a project: {@code region/project} overrides, then project overrides, then defaults. */
public final class CredentialsResolver {

    private static final Set<String> MODES = Set.of("token", "iam", "aksk");

    private final DrsConfig.Auth auth;

    public CredentialsResolver(DrsConfig.Auth auth) {
        this.auth = auth;
        check(auth.mode(), "drs.auth.mode");
        auth.projects().forEach((key, project) -> project.mode()
                .ifPresent(mode -> check(mode, "drs.auth.projects.\"" + key + "\".mode")));
    }

    private static void check(String mode, String key) {
        if (!MODES.contains(mode)) {
            throw new IllegalStateException(key + "=" + mode + " is not one of " + MODES);
        }
    }

    /** The credentials for a call, or empty when none are configured. */
    public Optional<Credentials> resolve(String region, String projectId) {
        Optional<DrsConfig.Project> project = Optional.ofNullable(auth.projects().get(region + "/" + projectId))
                .or(() -> Optional.ofNullable(auth.projects().get(projectId)));
        String mode = project.flatMap(DrsConfig.Project::mode).orElse(auth.mode());
        return switch (mode) {
            case "token" -> project.flatMap(DrsConfig.Project::token).or(auth::token)
                    .filter(t -> !t.isBlank()).map(Credentials.Token::new);
            case "aksk" -> {
                Optional<String> ak = project.flatMap(DrsConfig.Project::ak).or(auth::ak);
                Optional<String> sk = project.flatMap(DrsConfig.Project::sk).or(auth::sk);
                yield ak.isPresent() && sk.isPresent() ? Optional.of(new Credentials.AkSk(ak.get(), sk.get()))
                        : Optional.empty();
            }
            default -> {
                Optional<String> user = project.flatMap(DrsConfig.Project::iamUser).or(() -> auth.iam().user());
                Optional<String> password = project.flatMap(DrsConfig.Project::iamPassword)
                        .or(() -> auth.iam().password());
                Optional<String> domain = project.flatMap(DrsConfig.Project::iamDomain).or(() -> auth.iam().domain());
                yield user.isPresent() && password.isPresent() && domain.isPresent()
                        ? Optional.of(new Credentials.Iam(user.get(), password.get(), domain.get()))
                        : Optional.empty();
            }
        };
    }

    /** The sentence a dead letter carries when {@link #resolve} finds nothing. */
    public String missing(String region, String projectId) {
        return "No DRS credentials are configured for project " + projectId + " in region " + region
                + " (drs.auth.mode=" + auth.mode() + "; set the defaults under drs.auth or an override under "
                + "drs.auth.projects.\"" + projectId + "\").";
    }
}
