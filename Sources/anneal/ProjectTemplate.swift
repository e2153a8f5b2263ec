/// The files `anneal init` writes: a pipeline that pretrains a very small GPT on
/// a little text, instruction-tunes it through a recipe and evaluates both, the
/// recipe, the data, and a README. Runs in about a minute in a release build.
enum ProjectTemplate {
    static var files: [String: String] {
        [
            "README.md": readme,
            "pipelines/my-model.yaml": pipeline,
            "recipes/my-sft.yaml": recipe,
            "pipelines/data/corpus.jsonl": corpus,
            "pipelines/data/instructions.jsonl": instructions,
            "pipelines/data/questions.jsonl": questions,
        ]
    }

    static let readme = """
        # my-model

        An Anneal project: `pipelines/my-model.yaml` collects the text in `pipelines/data/corpus.jsonl`, trains a
        tokenizer, pretrains a very small GPT, instruction-tunes it with `recipes/my-sft.yaml` on
        `pipelines/data/instructions.jsonl`, and evaluates both models on `pipelines/data/questions.jsonl`.

        ```sh
        anneal run my-model                           # runs every step; a second run is all cached
        anneal run my-model -p pretrain_steps=400     # reruns pretrain and what depends on it
        anneal why my-model                           # why each step ran
        anneal lineage sft.model                      # what the tuned model was made from
        anneal report                                 # one HTML page: curves, evaluation, samples
        ```

        What to edit:

        - **Your text**: replace `pipelines/data/corpus.jsonl` (one `{"text": ...}` a line), or point the
          `corpus` step's `sources` at your files (`- files: data/*.txt`; paths are relative to the pipeline's folder).
        - **Your instructions**: `pipelines/data/instructions.jsonl` in the Alpaca form
          (`instruction`, `input`, `output`), and `pipelines/data/questions.jsonl` for the evaluation
          (`question`, `answers`).
        - **Sizes**: the `params` at the top of the pipeline (`model`, `pretrain_steps`, `sft_steps`);
          override them for one run with `-p NAME=VALUE`.
        - **How SFT trains**: `recipes/my-sft.yaml` (learning rate, LoRA or full); a setting written in
          the pipeline's `sft` step wins over the recipe's.

        `anneal kinds` lists the step kinds (reward-model, dpo, ppo, ...) and `anneal kinds KIND`
        documents each field.

        """

    static let pipeline = """
        name: my-model
        description: Pretrain a very small GPT on a little text, instruction-tune it, and evaluate both.

        params:
          seed: 1
          model: { layers: 2, heads: 2, width: 64, context: 64 }
          pretrain_steps: 200
          sft_steps: 60

        steps:
          corpus:
            kind: collect
            with:
              sources:
                - jsonl: data/corpus.jsonl
              filters: { min_words: 3, max_top_ngram_ratio: off }
              split: { validation: 0.1 }

          tokenizer:
            kind: tokenizer
            with:
              text: ${corpus.train}
              vocab_size: 384

          base:
            kind: pretrain
            with:
              tokenizer: ${tokenizer.tokenizer}
              train: ${corpus.train}
              validation: ${corpus.validation}
              model: ${params.model}
              max_steps: ${params.pretrain_steps}
              learning_rate: 0.003
              warmup_steps: 20
              eval_interval: 50
              eval_batches: 2
              seed: ${params.seed}

          sft:
            recipe: my-sft
            with:
              model: ${base.model}
              data: data/instructions.jsonl
              max_steps: ${params.sft_steps}
              seed: ${params.seed}

          evaluate:
            kind: evaluate
            with:
              models: { base: "${base.model}", sft: "${sft.model}" }
              perplexity: { data: "${corpus.validation}" }
              qa: { data: data/questions.jsonl, max_new_tokens: 16 }
              samples:
                prompts: [What is the capital of Italy?]
                temperature: 0

        """

    static let recipe = """
        kind: sft
        description: Instruction-tune every weight on Alpaca-form data, scoring only the answers.
        with:
          format: alpaca
          finetuning_type: full        # or lora (then lora_r, lora_alpha, lora_target)
          learning_rate: 0.001
          warmup_steps: 5
          batch_size: 8
          eval_interval: 20

        """

    static let facts: [(country: String, capital: String, language: String)] = [
        ("Italy", "Rome", "Italian"), ("Spain", "Madrid", "Spanish"), ("France", "Paris", "French"),
        ("Germany", "Berlin", "German"), ("Portugal", "Lisbon", "Portuguese"), ("Greece", "Athens", "Greek"),
        ("Poland", "Warsaw", "Polish"), ("Sweden", "Stockholm", "Swedish"), ("Norway", "Oslo", "Norwegian"),
        ("Finland", "Helsinki", "Finnish"), ("Austria", "Vienna", "German"), ("Hungary", "Budapest", "Hungarian"),
    ]

    /// A few sentences about each country, written a few ways: enough text for a tokenizer and a tiny model.
    static var corpus: String {
        var lines: [String] = []
        for (i, f) in facts.enumerated() {
            let texts = [
                "The capital of \(f.country) is \(f.capital). People in \(f.country) mostly speak \(f.language).",
                "\(f.capital) is the capital of \(f.country). It is the largest city in the country.",
                "Most people in \(f.country) speak \(f.language), and the seat of government is \(f.capital).",
                "Visitors to \(f.country) often start in \(f.capital), the capital, where \(f.language) is spoken.",
            ]
            for (j, t) in texts.enumerated() { lines.append("{\"text\": \"\(t)\", \"id\": \"\(i)-\(j)\"}") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Questions about all but the last two countries: those two are the evaluation's.
    static var instructions: String {
        facts.dropLast(2).flatMap { f in [
            "{\"instruction\": \"What is the capital of \(f.country)?\", \"input\": \"\", \"output\": \"The capital of \(f.country) is \(f.capital).\"}",
            "{\"instruction\": \"What language do people in \(f.country) speak?\", \"input\": \"\", \"output\": \"People in \(f.country) mostly speak \(f.language).\"}",
        ] }.joined(separator: "\n") + "\n"
    }

    static var questions: String {
        facts.suffix(2).flatMap { f in [
            "{\"question\": \"What is the capital of \(f.country)?\", \"answers\": [\"\(f.capital)\"]}",
            "{\"question\": \"What language do people in \(f.country) speak?\", \"answers\": [\"\(f.language)\"]}",
        ] }.joined(separator: "\n") + "\n"
    }
}
