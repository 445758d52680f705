package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.Normalization;
import org.cae4j.loss.Loss;
import org.cae4j.model.Architecture;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.model.SeedCae;
import org.cae4j.model.StackedCae;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Init;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.optim.Optimizer;
import org.cae4j.optim.Sgd;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Checkpoint;
import org.cae4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j train}: trains an autoencoder and writes the model, metrics and pictures into a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Trains a convolutional autoencoder to reconstruct images and writes into --out: "
                + "model.safetensors, metrics.csv, reconstructions.png, filters.png, activations.png, loss.png, latent.png "
                + "and report.html (one self-contained page with the settings, metrics and pictures).",
                "The seed preset is n filters (2k+1)x(2k+1) over the d input channels, 'full' padding (maps larger "
                + "than the input), and a 'valid' convolution back to the input size."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = DataOption.EMBEDDED, paramLabel = "PATH", description = DataOption.DESCRIPTION)
    String data;

    @Option(names = "--preset", defaultValue = "seed", description = "Architecture: seed (the full/valid CAE), "
            + "bottleneck (strided conv, 20-d code, transposed conv), keras (pool/upsample CAE, 8x4x4 code), dense "
            + "(784-128-64-32-64-128-784), sparse, vae-dense, vae-conv or stacked (CAE layers trained greedily one by one, "
            + "then end to end). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--arch", paramLabel = "FILE", description = "Architecture described in a JSON file instead of a "
            + "preset (see the README, 'Describing an architecture in JSON'); its \"loss\" is used unless --loss is given.")
    Path arch;

    /** The --arch description as compact JSON, from the file or from run.json when resuming; null for a preset. */
    String archJson;

    @Option(names = "--code", defaultValue = "20", paramLabel = "D", description = "Bottleneck preset: code size. Default: ${DEFAULT-VALUE}.")
    int code;

    @Option(names = "--hidden", paramLabel = "H", description = "Sparse and vae-dense presets: hidden units. Default: 196 (sparse), 400 (vae-dense).")
    Integer hidden;

    @Option(names = "--latent", defaultValue = "20", paramLabel = "L", description = "VAE presets: latent size (2 also draws manifold.png). Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--rho", defaultValue = "0.1", paramLabel = "ρ", description = "Sparse preset: target mean activation. Default: ${DEFAULT-VALUE}.")
    double rho;

    @Option(names = "--beta", paramLabel = "β", description = "Sparse preset: sparsity weight (default 3); VAE presets: KL weight (default 1).")
    Double beta;

    @Option(names = "--tied", description = "Seed and dense presets: the decoder reuses the encoder's weights (transposed).")
    boolean tied;

    @Option(names = "--noise", paramLabel = "KIND", description = "Denoising: corrupt training inputs with gaussian, masking or "
            + "salt-and-pepper noise (any preset; the target stays the clean image; no noise at test time).")
    String noise;

    @Option(names = "--noise-level", paramLabel = "X", description = "Noise std (gaussian, clipped to [0, 1]) or fraction of pixels "
            + "(masking, salt-and-pepper). Default: 0.5 (gaussian), 0.3 (masking), 0.1 (salt-and-pepper).")
    Double noiseLevel;

    @Option(names = "--filters", defaultValue = "16", split = ",", paramLabel = "n", description = "Encoder filters (feature maps); "
            + "stacked preset: one count per layer, e.g. 16,8. Default: 16 (seed), 16,8 (stacked).")
    int[] filters;

    @Option(names = "--pretrain-epochs", paramLabel = "E", description = "Stacked preset: epochs of greedy training of each "
            + "layer before --epochs of end-to-end training. Default: 1.")
    Integer pretrainEpochs;

    @Option(names = "--pooling", defaultValue = "max", paramLabel = "KIND", description = "Stacked preset: max (2x2 max "
            + "pooling after each layer, upsampling in the decoder) or none. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--kernel", defaultValue = "5", paramLabel = "2k+1", description = "Filter size. Default: ${DEFAULT-VALUE}.")
    int kernel;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "s", description = "Encoder stride; s > 1 decodes with a transposed convolution. Default: ${DEFAULT-VALUE}.")
    int stride;

    @Option(names = "--encoder-activation", defaultValue = "tanh", paramLabel = "NAME",
            description = "identity, sigmoid, tanh, relu, leaky-relu, elu or softplus. Default: ${DEFAULT-VALUE}.")
    String encoderActivation;

    @Option(names = "--decoder-activation", defaultValue = "sigmoid", paramLabel = "NAME", description = "As above. Default: ${DEFAULT-VALUE}.")
    String decoderActivation;

    @Option(names = "--init", defaultValue = "pytorch", paramLabel = "NAME",
            description = "pytorch, he-uniform, he-normal, xavier-uniform or xavier-normal. Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--loss", defaultValue = "mse", paramLabel = "NAME",
            description = "mse, bce, bce-logits or l1. Default: the --arch file's \"loss\", else ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME", description = "adam, adamw or sgd. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--momentum", defaultValue = "0", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum (SGD).")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "λ", description = "Weight decay. Default: 0 (adam, sgd), 0.01 (adamw).")
    Double weightDecay;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "E", description = "Passes over the training data. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B", description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice, as torch.manual_seed takes it: the same initial weights as PyTorch's for a preset, and each epoch's order torch.randperm with a generator of this seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: the number of cores.")
    Integer threads;

    @Option(names = "--holdout", defaultValue = "0.1", paramLabel = "F",
            description = "Test fraction held out (the last images) when the data has no t10k split. Default: ${DEFAULT-VALUE}.")
    double holdout;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder. Default: runs/<preset or arch name>-<date>-<time>.")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "1000", paramLabel = "STEPS",
            description = "Write a checkpoint every STEPS optimizer steps (0: only at the end of each epoch). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "2", paramLabel = "K", description = "Checkpoints kept in the run folder. Default: ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its latest checkpoint, with the settings it was started with (only --threads may be given besides).")
    Path resume;

    @CommandLine.Mixin
    NormalizeOptions normalization;

    @CommandLine.Mixin
    ImageShape shape;

    /** The normalization the run trains with: from run.json when resuming, else resolved once the data is read. */
    Normalization normalizationUsed;

    /** The presets the command line offers. */
    static final List<String> CLI_PRESETS = List.of("seed", "bottleneck", "keras", "dense", "sparse", "vae-dense", "vae-conv",
            "stacked");

    /** The architecture metadata of the chosen preset and its options, which {@link Models#fromMetadata} builds. */
    private Map<String, String> presetMetadata(int d, int h, int w, Activation.Kind enc, Activation.Kind dec, Init initScheme) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("input", d + "x" + h + "x" + w);
        switch (preset) {
            case "seed":
                // SeedCae.Config validates the values (positive, weight-count limit) with its own messages
                new SeedCae.Config(d, h, w, filters[0], kernel, stride, enc, dec, initScheme, tied);
                m.put("filters", Integer.toString(filters[0]));
                m.put("kernel", Integer.toString(kernel));
                m.put("stride", Integer.toString(stride));
                m.put("encoder_activation", enc.cliName());
                m.put("decoder_activation", dec.cliName());
                m.put("init", initScheme.cliName());
                m.put("tied", Boolean.toString(tied));
                break;
            case "bottleneck": m.put("code", Integer.toString(code)); break;
            case "dense": m.put("tied", Boolean.toString(tied)); break;
            case "sparse":
                m.put("hidden", Integer.toString(hidden != null ? hidden : 196));
                m.put("rho", Double.toString(rho));
                m.put("beta", Double.toString(beta != null ? beta : 3));
                break;
            case "vae-dense":
                m.put("hidden", Integer.toString(hidden != null ? hidden : 400));
                m.put("latent", Integer.toString(latent));
                m.put("beta", Double.toString(beta != null ? beta : 1));
                break;
            case "vae-conv":
                m.put("latent", Integer.toString(latent));
                m.put("beta", Double.toString(beta != null ? beta : 1));
                break;
            case "stacked":
                return new StackedCae.Config(d, h, w, filters, kernel, pooling.equals("max"), enc, dec, initScheme).toMetadata();
            default: break;
        }
        if (noise != null) {
            m.put("noise", noise);
            double level = noiseLevel != null ? noiseLevel : noise.equals("gaussian") ? 0.5 : noise.equals("masking") ? 0.3 : 0.1;
            m.put("noise_level", Double.toString(level));
            if (noise.equals("gaussian")) m.put("noise_clip", "true");
        }
        return m;
    }

    private Map<String, String> trainingMetadata(Optimizer optim, Loss lossFn, ImageDataset train, ImageShape.Settings shaped) {
        Map<String, String> meta = new LinkedHashMap<>(normalizationUsed.toMetadata());
        meta.putAll(shaped.toMetadata());
        meta.put("epochs", Integer.toString(epochs));
        meta.put("batch_size", Integer.toString(batchSize));
        meta.put("optimizer", optim.toString());
        meta.put("loss", lossFn.cliName());
        meta.put("seed", Long.toString(seed));
        meta.put("train_data", train.name());
        if (preset.equals("stacked")) meta.put("pretrain_epochs", Integer.toString(pretrainEpochs));
        return meta;
    }

    private void positive(String option, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for " + option + ": " + v + " (expected a positive number)");
        }
    }

    private void nonNegative(String option, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for " + option + ": " + v + " (expected a number >= 0)");
        }
    }

    private <T> T option(String option, String value, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for " + option + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        Checkpoint.Loaded resumed = null;
        Architecture described = null;
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        Path dir;
        if (resume != null) {
            for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
                if (!o.longestName().equals("--resume") && !o.longestName().equals("--threads")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--resume takes the settings the run was "
                            + "started with; " + o.longestName() + " cannot be changed (only --threads)");
                }
            }
            dir = resume;
            RunSettings.read(dir.resolve(RunSettings.FILE), this);
            if (preset.equals("stacked")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume does not support stacked runs (their "
                        + "greedy pretraining is not checkpointed); start the run again");
            }
            if (archJson != null) described = describedBy(RunSettings.FILE + "'s arch", () -> Architecture.parse(archJson));
            resumed = Checkpoints.latest(dir, spec.commandLine().getErr());
            if (resumed == null) {
                throw new IllegalArgumentException(dir + ": no checkpoint-*.safetensors to resume from");
            }
        } else {
            if (arch != null) {
                if (given.hasMatchedOption("--preset")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--arch and --preset are mutually "
                            + "exclusive (an architecture comes from one or the other)");
                }
                described = Architecture.read(arch);
                archJson = described.toJson(null);
                preset = Architecture.PRESET;
                if (!given.hasMatchedOption("--loss") && described.loss() != null) loss = described.loss();
            }
            String runName = described == null ? preset : described.name() != null ? described.name() : Architecture.PRESET;
            dir = out != null ? out : Path.of("runs", runName + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        // 1. every option, before any data is read
        if (described == null && !CLI_PRESETS.contains(preset)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for --preset: '" + preset + "' (available: " + String.join(", ", CLI_PRESETS) + ")");
        }
        if (resume == null) {
            for (String seedOnly : new String[] {"--filters", "--kernel", "--stride", "--encoder-activation",
                    "--decoder-activation", "--init"}) {
                boolean stackedToo = !seedOnly.equals("--stride");
                if (!preset.equals("seed") && !(stackedToo && preset.equals("stacked")) && given.hasMatchedOption(seedOnly)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), seedOnly + " applies to the seed"
                            + (stackedToo ? " and stacked presets" : " preset") + ", not " + (described != null ? "--arch" : preset));
                }
            }
            String[][] only = {{"--code", "bottleneck"}, {"--hidden", "sparse", "vae-dense"}, {"--rho", "sparse"},
                {"--beta", "sparse", "vae-dense", "vae-conv"}, {"--latent", "vae-dense", "vae-conv"}, {"--tied", "seed", "dense"},
                {"--pretrain-epochs", "stacked"}, {"--pooling", "stacked"}};
            for (String[] o : only) {
                List<String> allowed = List.of(o).subList(1, o.length);
                if ((described != null || !allowed.contains(preset)) && given.hasMatchedOption(o[0])) {
                    throw new CommandLine.ParameterException(spec.commandLine(), o[0] + " applies to the "
                            + String.join(", ", allowed) + " preset" + (allowed.size() > 1 ? "s" : "") + ", not "
                            + (described != null ? "--arch" : preset));
                }
            }
            if (noiseLevel != null && noise == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--noise-level needs --noise");
            }
            if (preset.startsWith("vae") && !given.hasMatchedOption("--loss")) loss = "bce-sum";
            if (preset.equals("stacked")) {
                if (noise != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--noise does not apply to the stacked preset "
                            + "(its layers are pretrained on clean maps)");
                }
                if (!given.hasMatchedOption("--filters")) filters = new int[] {16, 8};
                if (pretrainEpochs == null) pretrainEpochs = 1;
            }
        }
        if (noise != null && !List.of("gaussian", "masking", "salt-and-pepper").contains(noise)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for --noise: '" + noise + "' (expected gaussian, masking or salt-and-pepper)");
        }
        if (hidden != null) positive("--hidden", hidden);
        positive("--latent", latent);
        if (!(rho > 0 && rho < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --rho: " + rho
                    + " (expected a target activation strictly between 0 and 1)");
        }
        if (beta != null) nonNegative("--beta", beta);
        if (noiseLevel != null) {
            positive("--noise-level", noiseLevel);
            if (!noise.equals("gaussian") && noiseLevel >= 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --noise-level: "
                        + noiseLevel + " (a fraction of pixels, expected below 1)");
            }
        }
        positive("--code", code);
        for (int n : filters) positive("--filters", n);
        if (!preset.equals("stacked") && filters.length != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --filters: "
                    + java.util.Arrays.toString(filters) + " (one count; a list of several is for the stacked preset)");
        }
        if (pretrainEpochs != null) positive("--pretrain-epochs", pretrainEpochs);
        if (!pooling.equals("max") && !pooling.equals("none")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --pooling: '" + pooling
                    + "' (expected max or none)");
        }
        positive("--kernel", kernel);
        positive("--stride", stride);
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        positive("--lr", lr);
        nonNegative("--momentum", momentum);
        nonNegative("--checkpoint-every", checkpointEvery);
        positive("--keep-checkpoints", keepCheckpoints);
        if (weightDecay != null) nonNegative("--weight-decay", weightDecay);
        if (threads != null) positive("--threads", threads);
        if (!(holdout > 0 && holdout < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for --holdout: " + holdout + " (expected a fraction strictly between 0 and 1)");
        }
        Activation.Kind enc = option("--encoder-activation", encoderActivation, s -> Activation.parse(s).kind());
        Activation.Kind dec = option("--decoder-activation", decoderActivation, s -> Activation.parse(s).kind());
        Init initScheme = option("--init", init, Init::parse);
        Loss lossFn = option("--loss", loss, Loss::parse);
        String opt = optimizer.trim().toLowerCase(Locale.ROOT);
        if (!List.of("adam", "adamw", "sgd").contains(opt)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for --optimizer: '" + optimizer + "' (expected adam, adamw or sgd)");
        }
        if (nesterov && (!opt.equals("sgd") || momentum <= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nesterov needs --optimizer sgd and --momentum > 0");
        }
        ImageShape.Settings shaped = shape.parse(spec.commandLine());
        NormalizeOptions.Choice choice = resume != null ? new NormalizeOptions.Choice(normalization.normalize, normalizationUsed)
                : normalization.parse(spec.commandLine());
        if (!choice.kind().equals("unit")) {
            String range = choice.kind().equals("symmetric") ? "gives inputs in [-1, 1]" : "gives inputs outside [0, 1]";
            if (lossFn.cliName().startsWith("bce")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--loss " + lossFn.cliName()
                        + (given.hasMatchedOption("--loss") || resume != null ? "" : " (the " + preset + " preset's default)")
                        + " needs targets in [0, 1], but --normalize " + choice.kind() + " " + range + "; use --loss "
                        + (lossFn.cliName().endsWith("-sum") ? "mse-sum or l1-sum" : "mse or l1") + ", or --normalize unit");
            }
            if (noise != null && !noise.equals("masking")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--noise " + noise + " keeps pixels in [0, 1], but --normalize "
                        + choice.kind() + " " + range + "; use --noise masking, or --normalize unit");
            }
        }
        // the seed preset's output follows the normalization unless chosen: tanh for [-1, 1], identity for mean/std
        String outputNote = null;
        if (resume == null && preset.equals("seed") && !choice.kind().equals("unit") && !given.hasMatchedOption("--decoder-activation")) {
            decoderActivation = choice.kind().equals("symmetric") ? "tanh" : "identity";
            dec = option("--decoder-activation", decoderActivation, q -> Activation.parse(q).kind());
            outputNote = "decoder output " + decoderActivation + ", to match --normalize " + choice.kind()
                    + " (--decoder-activation chooses another)";
        }
        if (described != null && described.input() != null) {
            // a declared input lets the shapes be checked before the run folder is made and the data read
            Architecture a = described;
            describedBy(resume != null ? RunSettings.FILE + "'s arch" : String.valueOf(arch), () -> a.check(a.input()));
        }
        RunFolder.prepare(dir);

        // 2. data and model, checked against each other before training
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (threads != null) Parallel.setThreads(threads);
        Datasets.Split split = DataOption.withTest(DataOption.load(data, shaped, 0), holdout);
        if (normalizationUsed == null) normalizationUsed = choice.resolve(split.train());
        else if (!normalizationUsed.fits(split.train().channels())) {
            throw new IllegalArgumentException(RunSettings.FILE + "'s normalization " + normalizationUsed + " does not fit the "
                    + split.train().channels() + "-channel images of " + split.train().name());
        }
        split = split.withNormalization(normalizationUsed);
        ImageDataset train = split.train(), test = split.test();
        if (batchSize > train.size()) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " is larger than the " + train.size()
                    + " training images");
        }
        // as in PyTorch: the weights (and the random layers' draws) from torch.manual_seed(seed), the images' order
        // from a generator of its own seeded alike (torch.Generator().manual_seed(seed)), fresh each epoch
        Rng rng = new Rng(seed), order = new Rng(seed);
        int d = train.channels(), h = train.height(), w = train.width();
        Autoencoder model;
        if (described != null) {
            Architecture a = described;
            int[] declared = a.input(), shape = {d, h, w};
            String source = resume != null ? RunSettings.FILE + "'s arch" : String.valueOf(arch);
            if (declared != null && !java.util.Arrays.equals(declared, shape)) {
                throw new IllegalArgumentException(source + " declares input " + declared[0] + "x" + declared[1] + "x"
                        + declared[2] + ", but the images of " + train.name() + " are " + d + "x" + h + "x" + w);
            }
            model = describedBy(source, () -> a.build(shape, rng));
        } else {
            Map<String, String> arch = presetMetadata(d, h, w, enc, dec, initScheme);
            model = Models.fromMetadata(arch, rng);
        }
        if (resumed != null) {
            if (!resumed.model().architecture().equals(model.architecture())) {
                throw new IllegalArgumentException(dir + ": the checkpoint's architecture " + resumed.model().architecture()
                        + " does not match the run's settings " + model.architecture());
            }
            // the checkpoint's weights, buffers and random layers' generator states go into the model just built
            copyState(resumed.model(), model);
            order.setState(resumed.rngState());
        }
        double wd = weightDecay != null ? weightDecay : opt.equals("adamw") ? 1e-2 : 0;
        java.util.function.Function<List<org.cae4j.nn.Parameter>, Optimizer> newOptimizer = ps -> opt.equals("sgd")
                ? new Sgd(ps, lr, momentum, 0, wd, nesterov) : new Adam(ps, lr, 0.9, 0.999, 1e-8, wd, opt.equals("adamw"), false);
        Optimizer optim = newOptimizer.apply(model.parameters());
        if (resumed != null) resumed.restore(optim);
        else RunSettings.write(dir.resolve(RunSettings.FILE), this);
        o.printf(Locale.ROOT, "model: %s, %d parameters, code %s%n", model, model.parameterCount(),
                java.util.Arrays.toString(model.codeShape()));
        o.printf(Locale.ROOT, "data: train %s; test %s%n", train, test);
        if (outputNote != null) o.println(outputNote);
        String warning = OutputRange.warning(model, normalizationUsed, train.channels(),
                described != null ? "end the decoder of " + (arch != null ? arch.getFileName() : "the --arch description") + " with"
                        : preset.equals("seed") ? "choose --decoder-activation" : "the " + preset + " preset's output is fixed; use --arch"
                        + " (examples/arch/ has the presets) with a decoder that ends with");
        if (warning != null) err.println("warning: " + warning);
        o.printf(Locale.ROOT, "training: %d epochs, batch %d, %s, %s, seed %d, %d threads -> %s%n", epochs, batchSize,
                optim, lossFn, seed, Parallel.threads(), dir);
        if (resumed != null) {
            o.printf(Locale.ROOT, "resuming from step %d (epoch %d, batch %d)%n", resumed.progress().step(),
                    resumed.progress().epoch(), resumed.progress().batch());
        }
        o.flush();

        // 3. train, rewriting metrics.csv after every epoch and writing checkpoints
        ProgressBar bar = new ProgressBar(err, ProgressBar.interactive());
        List<Trainer.EpochMetrics> history = new ArrayList<>();
        long start = System.nanoTime();
        // stacked: greedy layer-wise pretraining first, then the end-to-end training below (the fine-tuning)
        Map<String, List<Trainer.EpochMetrics>> pretrained = !preset.equals("stacked") ? Map.of()
                : StackedPretraining.run(model, newOptimizer, pretrainEpochs, batchSize, train, test, order, bar, o, dir);
        Trainer trainer = new Trainer(model, optim, lossFn, Trainer.Config.of(epochs, batchSize));
        Checkpoints checkpoints = new Checkpoints(dir, keepCheckpoints);
        Autoencoder m0 = model;
        Map<String, String> runMeta = trainingMetadata(optim, lossFn, train, shaped);
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double l, double ips) {
                bar.onBatch(epoch, epochs, batch, batches, batchSize, l, ips);
            }

            @Override
            public void onEpoch(Trainer.EpochMetrics m) {
                bar.clear();
                history.add(m);
                o.printf(Locale.ROOT, "epoch %d/%d  train_loss %.6f  test_mse %.6f  %.1f s  %.0f img/s%n", m.epoch(),
                        epochs, m.trainLoss(), m.testMse(), m.seconds(), m.imagesPerSecond());
                for (org.cae4j.nn.Layer l : m0.encoder().layers()) {
                    if (l instanceof org.cae4j.nn.KlSparsity) {
                        org.cae4j.nn.KlSparsity k = (org.cae4j.nn.KlSparsity) l;
                        double[] a = k.meanActivation();
                        double mean = java.util.Arrays.stream(a).average().orElse(Double.NaN);
                        o.printf(Locale.ROOT, "  mean code activation %.4f over %d units (target rho %.4f; last training batch)%n",
                                mean, a.length, k.rho());
                    }
                }
                o.flush();
            }

            @Override
            public void onSettled(long step, boolean epochEnd, java.util.function.Supplier<Trainer.Progress> progress) {
                if (epochEnd || (checkpointEvery > 0 && step % checkpointEvery == 0)) {
                    checkpoints.write(m0, optim, order, progress.get(), runMeta);
                }
                if (epochEnd) {
                    try {
                        RunFolder.writeMetrics(dir.resolve("metrics.csv"), pretrained, progress.get().history());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(dir.resolve("metrics.csv") + ": " + e.getMessage(), e);
                    }
                }
            }
        };
        List<Trainer.EpochMetrics> all;
        try {
            all = resumed == null ? trainer.fit(train, test, order, listener)
                    : trainer.resume(train, test, order, listener, resumed.progress());
        } catch (Trainer.DivergedException e) {
            bar.clear();
            Path lastGood = checkpoints.newest();
            throw new Trainer.DivergedException(e.getMessage() + (lastGood == null ? "" : "; the last good checkpoint is "
                    + lastGood), e.step());
        }
        history.clear();
        history.addAll(all);
        double seconds = (System.nanoTime() - start) / 1e9;

        // 4. model and pictures
        Trainer.EpochMetrics last = history.get(history.size() - 1);
        Map<String, String> meta = new LinkedHashMap<>(runMeta);
        meta.put("test_mse", Double.toString(last.testMse()));
        Models.save(dir.resolve("model.safetensors"), model, normalizationUsed, meta);
        List<String> pictures = RunFolder.writePictures(dir, model, test, history);
        Report.write(dir, "cae4j run " + dir.toAbsolutePath().normalize().getFileName());
        o.printf(Locale.ROOT, "test MSE %.6f%s after %d epochs (%.1f s); wrote %s: model.safetensors, metrics.csv, %s, %s%n",
                last.testMse(), RunFolder.mseSpace(normalizationUsed), epochs, seconds, dir, String.join(", ", pictures), Report.FILE);
        o.flush();
        return 0;
    }

    /** {@code build.get()}, its errors prefixed with where the description came from. */
    private static <T> T describedBy(String source, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Copies every parameter and buffer of {@code from} into the same-named tensor of {@code to}. */
    private static void copyState(Autoencoder from, Autoencoder to) {
        for (Map.Entry<String, org.cae4j.nn.Parameter> e : to.namedParameters().entrySet()) {
            Tensor src = from.namedParameters().get(e.getKey()).value;
            System.arraycopy(src.data, 0, e.getValue().value.data, 0, src.size());
            e.getValue().markChanged();
        }
        for (Map.Entry<String, Tensor> e : to.namedBuffers().entrySet()) {
            Tensor src = from.namedBuffers().get(e.getKey());
            System.arraycopy(src.data, 0, e.getValue().data, 0, src.size());
        }
        List<Rng> src = from.generators(), dst = to.generators();
        for (int i = 0; i < dst.size(); i++) dst.get(i).setState(src.get(i).state());
    }
}
