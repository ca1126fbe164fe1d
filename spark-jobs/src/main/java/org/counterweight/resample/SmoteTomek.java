package org.counterweight.resample;

/**
 * {@code smote-tomek}: SMOTE, then Tomek links removed from every class, as imbalanced-learn
 * 0.10's {@code SMOTETomek} (its default cleaner is {@code TomekLinks(sampling_strategy='all')}).
 */
public class SmoteTomek extends SmoteThenClean {
    private static final long serialVersionUID = 1L;

    public SmoteTomek() {
        this(null);
    }

    public SmoteTomek(String uid) {
        super("smote-tomek", uid);
    }

    @Override
    protected CleaningSampler newCleaner() {
        return new TomekLinks();
    }
}
