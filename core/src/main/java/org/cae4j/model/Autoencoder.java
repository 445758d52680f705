package org.cae4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.nn.InputNoise;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import org.cae4j.ops.Normal;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;

/**
 * An encoder and a decoder trained to reproduce their input: x (N,C,H,W) → code → x̂ (N,C,H,W).
 *
 * <p>Parameters are named as the PyTorch {@code state_dict} of {@code nn.Sequential(*encoder, *decoder)}
 * (for the seed CAE {@code 0.weight, 0.bias, 2.weight, 2.bias}, the names of model A in the PyTorch peer), so a
 * saved model loads into the equivalent PyTorch module. Two exceptions keep those names those of the clean
 * model: leading {@link InputNoise} layers of the encoder (a denoising autoencoder) take no index, since PyTorch
 * code corrupts the batch in its training loop, and a parameter shared by two layers (tied weights) is listed
 * once, under its encoder name. The architecture is described by string metadata that rebuilds it (see
 * {@link Models#fromMetadata}).
 *
 * <p>The objective a trainer minimises is {@code loss(forward(x), x) + regularizationLoss()}: penalty layers
 * (sparsity, a VAE's KL term) report their value after each forward and add their gradient in backward.
 */
public final class Autoencoder implements Layer {
    private final Sequential encoder, decoder;
    private final int[] inputShape;
    private final Map<String, String> architecture;
    private final LinkedHashMap<String, Parameter> named = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> namedBuffers = new LinkedHashMap<>();
    private final Naming naming;
    private boolean training = true;

    /**
     * How parameters are named: as one flat {@code nn.Sequential(*encoder, *decoder)} ({@code 0.weight}, …,
     * decoder layers numbered after the encoder's) or as {@code nn.Sequential(encoder, decoder)}
     * ({@code 0.0.weight} for the encoder, {@code 1.0.weight} for the decoder).
     */
    public enum Naming { FLAT, NESTED }

    /** Flat parameter names (see {@link Naming}). */
    public Autoencoder(Sequential encoder, Sequential decoder, int[] inputShape, Map<String, String> architecture) {
        this(encoder, decoder, inputShape, architecture, Naming.FLAT);
    }

    /**
     * @param inputShape   one sample's shape (C,H,W)
     * @param architecture metadata that describes the model (at least {@code preset})
     * @throws IllegalArgumentException if the decoder does not return the input shape, naming both shapes
     */
    public Autoencoder(Sequential encoder, Sequential decoder, int[] inputShape, Map<String, String> architecture,
                       Naming naming) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.inputShape = inputShape.clone();
        this.architecture = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(architecture));
        int[] code, out;
        try {
            code = encoder.outputShape(inputShape);
            out = decoder.outputShape(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input " + java.util.Arrays.toString(inputShape) + " does not fit the "
                    + "architecture: " + e.getMessage(), e);
        }
        if (!java.util.Arrays.equals(out, inputShape)) {
            throw new IllegalArgumentException("decoder output " + java.util.Arrays.toString(out)
                    + " does not match the input " + java.util.Arrays.toString(inputShape) + " (code "
                    + java.util.Arrays.toString(code) + ")");
        }
        this.naming = naming;
        // leading input noise takes no index: PyTorch code corrupts the batch outside the module
        int skip = 0;
        while (skip < encoder.size() && encoder.get(skip) instanceof InputNoise) skip++;
        java.util.Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Map<String, Parameter> enc, dec;
        if (naming == Naming.NESTED) {
            enc = encoder.namedParameters("0.", skip);
            dec = decoder.namedParameters("1.");
            namedBuffers.putAll(encoder.namedBuffers("0.", skip));
            namedBuffers.putAll(decoder.namedBuffers("1."));
        } else {
            int e = encoder.size() - skip;
            enc = encoder.namedParameters("", skip);
            dec = new LinkedHashMap<>();
            putShifted(dec, decoder.namedParameters(""), e);
            namedBuffers.putAll(encoder.namedBuffers("", skip));
            putShifted(namedBuffers, decoder.namedBuffers(""), e);
        }
        // a tied parameter is listed once, under its first (encoder) name
        for (Map<String, Parameter> m : List.of(enc, dec)) {
            for (Map.Entry<String, Parameter> p : m.entrySet()) {
                if (seen.add(p.getValue())) named.put(p.getKey(), p.getValue());
            }
        }
        encoder.setInputGradNeeded(false);
    }

    /** Puts {@code decoderNames} into {@code into}, decoder layer i renamed to layer e + i of the flattened Sequential. */
    private static <T> void putShifted(Map<String, T> into, Map<String, T> decoderNames, int e) {
        for (Map.Entry<String, T> p : decoderNames.entrySet()) {
            String k = p.getKey();
            int dot = k.indexOf('.');
            into.put((e + Integer.parseInt(k.substring(0, dot))) + k.substring(dot), p.getValue());
        }
    }

    public Sequential encoder() { return encoder; }

    public Sequential decoder() { return decoder; }

    /** One sample's shape (C,H,W). */
    public int[] inputShape() { return inputShape.clone(); }

    /** One sample's code shape. */
    public int[] codeShape() { return encoder.outputShape(inputShape); }

    /** Metadata that describes the architecture (preset and its settings). */
    public Map<String, String> architecture() { return architecture; }

    /** How parameters are named. */
    public Naming naming() { return naming; }

    /** Parameters keyed by PyTorch state_dict name; a tied parameter appears once. */
    public Map<String, Parameter> namedParameters() { return java.util.Collections.unmodifiableMap(named); }

    /**
     * Buffers (batch norm's running statistics) keyed by PyTorch state_dict name, named as the parameters; the
     * tensors are live, so loading writes into them.
     */
    public Map<String, Tensor> namedBuffers() { return java.util.Collections.unmodifiableMap(namedBuffers); }

    /** The code of a batch x (N,C,H,W). */
    public Tensor encode(Tensor x) {
        checkInput(x);
        return encoder.forward(x);
    }

    /** The reconstruction x̂ (N,C,H,W) of a batch x. */
    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return decoder.forward(encoder.forward(x));
    }

    /** Backpropagates dL/dx̂ through decoder and encoder, adding into every parameter's gradient. */
    @Override
    public Tensor backward(Tensor dy) { return encoder.backward(decoder.backward(dy)); }

    @Override
    public int[] outputShape(int[] in) { return decoder.outputShape(encoder.outputShape(in)); }

    @Override
    public List<Parameter> parameters() { return List.copyOf(named.values()); }

    @Override
    public void train(boolean training) {
        this.training = training;
        encoder.train(training);
        decoder.train(training);
    }

    /** The generators of the encoder's and decoder's random layers, each once (see {@link Layer#generators()}). */
    @Override
    public List<Rng> generators() {
        List<Rng> g = new java.util.ArrayList<>(encoder.generators());
        for (Rng r : decoder.generators()) {
            if (g.stream().noneMatch(x -> x == r)) g.add(r);
        }
        return g;
    }

    /** Whether the model is in training mode (noise, dropout and sampling active); true when built. */
    public boolean isTraining() { return training; }

    /** The encoder's and decoder's penalties from the last forward (0 for a plain autoencoder). */
    @Override
    public double regularizationLoss() { return encoder.regularizationLoss() + decoder.regularizationLoss(); }

    /**
     * Decodes n codes drawn from the prior N(0, I), in evaluation mode: new images (n, C, H, W) from a
     * variational autoencoder. The result is a new tensor.
     */
    public Tensor sample(int n, Rng rng) {
        if (n <= 0) throw new IllegalArgumentException("sample: n must be positive, got " + n);
        int[] code = codeShape();
        int[] shape = new int[code.length + 1];
        shape[0] = n;
        System.arraycopy(code, 0, shape, 1, code.length);
        Tensor z = new Tensor(shape);
        for (int i = 0; i < z.size(); i++) z.data[i] = (float) rng.nextGaussian();
        return decode(z);
    }

    /**
     * The decoded grid of a 2-d code, as the Keras VAE example draws it: with q_i = 0.05 + 0.9·i/(g − 1) evenly
     * spaced quantiles and Φ⁻¹ the standard normal quantile function, image (i, j) of the grid, at index i·g + j,
     * decodes z = (Φ⁻¹(q_j), Φ⁻¹(q_i)), so equal steps of probability under the prior. Returns (g·g, C, H, W).
     */
    public Tensor manifold(int gridSize) {
        int[] code = codeShape();
        if (code.length != 1 || code[0] != 2) {
            throw new IllegalArgumentException("manifold: needs a 2-d code, this model's code is "
                    + java.util.Arrays.toString(code));
        }
        if (gridSize <= 1) throw new IllegalArgumentException("manifold: grid size must be at least 2, got " + gridSize);
        double[] q = new double[gridSize];
        for (int i = 0; i < gridSize; i++) q[i] = Normal.quantile(0.05 + 0.9 * i / (gridSize - 1));
        Tensor z = new Tensor(gridSize * gridSize, 2);
        for (int i = 0; i < gridSize; i++) {
            for (int j = 0; j < gridSize; j++) {
                z.data[2 * (i * gridSize + j)] = (float) q[j];
                z.data[2 * (i * gridSize + j) + 1] = (float) q[i];
            }
        }
        return decode(z);
    }

    /** Decodes a batch of codes in evaluation mode, then restores the mode; a new tensor. */
    public Tensor decode(Tensor z) {
        int[] code = codeShape();
        if (z.rank() != code.length + 1 || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(z.shape(), 1, z.rank()), code)) {
            throw new IllegalArgumentException("decode: expected codes (N, " + java.util.Arrays.toString(code)
                    .replaceAll("[\\[\\]]", "") + "), got " + z.shapeString());
        }
        decoder.train(false);
        try {
            return decoder.forward(z).copy();
        } finally {
            decoder.train(training);
        }
    }

    /** Number of learnable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : named.values()) n += p.value.size();
        return n;
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != inputShape[0] || x.dim(2) != inputShape[1] || x.dim(3) != inputShape[2]) {
            throw new IllegalArgumentException("autoencoder: expected input (N, " + inputShape[0] + ", "
                    + inputShape[1] + ", " + inputShape[2] + "), got " + x.shapeString());
        }
    }

    @Override
    public String toString() { return "Autoencoder(encoder=" + encoder + ", decoder=" + decoder + ")"; }
}
