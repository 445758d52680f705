package org.cae4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cae4j.tensor.Tensor;

/**
 * Layers applied in order, as PyTorch's {@code nn.Sequential}; parameters are named by position,
 * {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, …, exactly as in a PyTorch {@code state_dict}.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) { this(List.of(layers)); }

    public Sequential(List<? extends Layer> layers) {
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    public List<Layer> layers() { return layers; }

    public Layer get(int i) { return layers.get(i); }

    public int size() { return layers.size(); }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Layer l : layers) h = l.forward(h);
        return h;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g);
        return g;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] s = in;
        for (Layer l : layers) s = l.outputShape(s);
        return s;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) ps.addAll(l.parameters());
        return ps;
    }

    /** Parameters keyed by their PyTorch state_dict name ({@code prefix + index + "." + name}), in order. */
    public java.util.LinkedHashMap<String, Parameter> namedParameters(String prefix) {
        java.util.LinkedHashMap<String, Parameter> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Sequential) {
                m.putAll(((Sequential) l).namedParameters(prefix + i + "."));
            } else {
                for (Parameter p : l.parameters()) m.put(prefix + i + "." + p.name(), p);
            }
        }
        return m;
    }

    /** Buffers (see {@link Layer#buffers()}) keyed by state_dict name ({@code prefix + index + "." + name}), in order. */
    public java.util.LinkedHashMap<String, Tensor> namedBuffers(String prefix) {
        java.util.LinkedHashMap<String, Tensor> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Sequential) {
                m.putAll(((Sequential) l).namedBuffers(prefix + i + "."));
            } else {
                for (java.util.Map.Entry<String, Tensor> b : l.buffers().entrySet()) {
                    m.put(prefix + i + "." + b.getKey(), b.getValue());
                }
            }
        }
        return m;
    }

    @Override
    public java.util.Map<String, Tensor> buffers() { return java.util.Collections.unmodifiableMap(namedBuffers("")); }

    @Override
    public void setInputGradNeeded(boolean needed) {
        if (!layers.isEmpty()) layers.get(0).setInputGradNeeded(needed);
    }

    @Override
    public void train(boolean training) {
        for (Layer l : layers) l.train(training);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) b.append(i == 0 ? "" : ", ").append(layers.get(i));
        return b.append(')').toString();
    }
}
