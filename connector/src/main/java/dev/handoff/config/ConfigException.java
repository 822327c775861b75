package dev.handoff.config;

/** Invalid or missing configuration; the message names the key. Maps to exit code 2. */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
