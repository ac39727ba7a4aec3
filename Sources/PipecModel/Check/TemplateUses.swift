/// What the templates of each unit read, found once (by `TemplateScan`, without rendering) and shared by the
/// graph builder and the task-output check, which would otherwise each walk every template of the pipeline.
struct TemplateUses {
    /// The uses in one template, in the order written.
    struct Text {
        var refs: [TemplateScan.Use]
        var sources: [TemplateScan.Use]
        var taskOutputs: [TemplateScan.Use]
    }

    var unit: UnitID
    var texts: [Text]

    /// Every unit with templates, in declaration order.
    static func collect(_ pipeline: Pipeline) -> [TemplateUses] {
        var out: [TemplateUses] = []
        out.reserveCapacity(pipeline.tables.count + pipeline.tasks.count)
        Templates.forEachUnit(in: pipeline) { unit, texts in
            out.append(TemplateUses(unit: unit, texts: texts.map(TemplateScan.uses)))
        }
        return out
    }
}
