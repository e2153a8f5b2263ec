import AnnealSpec

/// The `shell` step kind: a command with declared inputs and outputs.
///
/// Inputs are workspace paths or other steps' outputs, hashed by content;
/// outputs are paths inside the step's own output folder that the command
/// must create. `${inputs.x}` and `${outputs.y}` in the command become paths
/// when the step runs.
public enum Shell {
    public static let descriptor = StepKindDescriptor(
        name: "shell",
        version: 1,
        summary: "Run a shell command with declared inputs and outputs.",
        schema: Schema([
            Field("command", .template(runtimeNamespaces: ["inputs", "outputs"]), required: true,
                  doc: "the command, run by /bin/sh -c; ${inputs.NAME} and ${outputs.NAME} become quoted paths"),
            Field("inputs", .map(.either(.file, .list(.file))), default: .map([:]),
                  doc: "named inputs: a workspace path or ${STEP.OUTPUT}, or a list of them; their content is part of the step's identity"),
            Field("outputs", .map(.string), default: .map([:]),
                  doc: "named outputs: paths inside the step's output folder the command must create; end a folder with '/'"),
            Field("env", .map(.string), default: .map([:]),
                  doc: "environment variables set for the command (part of the step's identity)"),
        ]),
        outputs: .declared(field: "outputs"))
}
