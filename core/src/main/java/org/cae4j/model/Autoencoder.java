package org.cae4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import org.cae4j.tensor.Tensor;

/**
 * An encoder and a decoder trained to reproduce their input: x (N,C,H,W) → code → x̂ (N,C,H,W).
 *
 * <p>Parameters are named as the PyTorch {@code state_dict} of {@code nn.Sequential(*encoder, *decoder)}
 * (for the seed CAE {@code 0.weight, 0.bias, 2.weight, 2.bias}, the names of model A in the PyTorch peer), so a
 * saved model loads into the equivalent PyTorch module. The architecture is described by string metadata that
 * rebuilds it (see {@link Models#fromMetadata}).
 */
public final class Autoencoder implements Layer {
    private final Sequential encoder, decoder;
    private final int[] inputShape;
    private final Map<String, String> architecture;
    private final LinkedHashMap<String, Parameter> named = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> namedBuffers = new LinkedHashMap<>();

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
        if (naming == Naming.NESTED) {
            named.putAll(encoder.namedParameters("0."));
            named.putAll(decoder.namedParameters("1."));
            namedBuffers.putAll(encoder.namedBuffers("0."));
            namedBuffers.putAll(decoder.namedBuffers("1."));
        } else {
            named.putAll(encoder.namedParameters(""));
            putShifted(named, decoder.namedParameters(""), encoder.size());
            namedBuffers.putAll(encoder.namedBuffers(""));
            putShifted(namedBuffers, decoder.namedBuffers(""), encoder.size());
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

    /** Parameters keyed by PyTorch state_dict name. */
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
        encoder.train(training);
        decoder.train(training);
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
