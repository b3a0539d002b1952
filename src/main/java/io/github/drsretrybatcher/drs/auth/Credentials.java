package io.github.drsretrybatcher.drs.auth;

/** How one project authenticates its calls; {@code toString()} never shows a secret. */
public sealed interface Credentials {

    /** A fixed IAM token. */
    record Token(String token) implements Credentials {
        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /** An IAM user whose project-scoped tokens are fetched and refreshed. */
    record Iam(String user, String password, String domain) implements Credentials {
        @Override
        public String toString() {
            return "Iam[user=" + user + ", domain=" + domain + ", password=***]";
        }
    }

    /** An access key pair that signs every request. */
    record AkSk(String ak, String sk) implements Credentials {
        @Override
        public String toString() {
            return "AkSk[ak=" + ak + ", sk=***]";
        }
    }
}
