//! The Map state, its item processor, and the Distributed Map's reader,
//! batcher and writer.

use serde_json::Value;

use super::{
    Catcher, DataPath, QueryLanguage, Retrier, States, Transition, ValueOrPath,
    error_handling_builders, setters, state_builder, string_enum, transition_builders,
};

/// Runs its item processor once for each item of an array (or each field of
/// an object) in its input; its result is the array of the iterations'
/// outputs, in item order.
///
/// The legacy spellings are read and understood: `Iterator` becomes
/// [`Map::item_processor`] and a Map's `Parameters` becomes
/// [`Map::item_selector`]. The writer uses the current spellings.
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// The reference path of the items in the effective input (default `$`).
    pub items_path: String,
    /// JSONata: the items (`Items`), an array or a `{% ... %}` expression
    /// giving one; the state's input when absent.
    pub items: Option<Value>,
    /// A payload template that builds each iteration's input; it can read
    /// `$$.Map.Item.Index` and `$$.Map.Item.Value`.
    pub item_selector: Option<Value>,
    /// The states each item runs through.
    pub item_processor: ItemProcessor,
    /// How many iterations may run at once (0, the default, sets no limit).
    pub max_concurrency: ValueOrPath<u64>,
    /// How many iterations may fail before the Map fails (default 0).
    pub tolerated_failure_count: ValueOrPath<u64>,
    /// What percentage of iterations may fail before the Map fails (default 0).
    pub tolerated_failure_percentage: ValueOrPath<f64>,
    /// Distributed Map: where the items are read from.
    pub item_reader: Option<ItemReader>,
    /// Distributed Map: how items are grouped into batches.
    pub item_batcher: Option<ItemBatcher>,
    /// Distributed Map: where the results are written.
    pub result_writer: Option<ResultWriter>,
    /// Distributed Map: a label for the Map Run's child executions.
    pub label: Option<String>,
    /// A payload template that reshapes the array of results.
    pub result_selector: Option<Value>,
    /// Where the result goes in the state's input to make its output.
    pub result_path: DataPath,
    /// Selects the part of the combined data that leaves the state.
    pub output_path: DataPath,
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
    /// Workflow variables to assign (`Assign`): names and the values,
    /// templates or expressions that give them.
    pub assign: Option<Value>,
    /// Retry policies, tried in order.
    pub retry: Vec<Retrier>,
    /// Fallback transitions on errors, tried in order.
    pub catch: Vec<Catcher>,
    /// Where the state goes when it completes.
    pub transition: Transition,
}

/// `ItemsPath` when not given.
pub const DEFAULT_ITEMS_PATH: &str = "$";

impl Map {
    /// A Map state running `processor` on every item of its input; it ends its scope.
    pub fn new(processor: ItemProcessor) -> Map {
        Map {
            comment: None,
            query_language: None,
            input_path: DataPath::default(),
            items_path: DEFAULT_ITEMS_PATH.to_string(),
            items: None,
            item_selector: None,
            item_processor: processor,
            max_concurrency: ValueOrPath::default(),
            tolerated_failure_count: ValueOrPath::default(),
            tolerated_failure_percentage: ValueOrPath::default(),
            item_reader: None,
            item_batcher: None,
            result_writer: None,
            label: None,
            result_selector: None,
            result_path: DataPath::default(),
            output_path: DataPath::default(),
            output: None,
            assign: None,
            retry: Vec::new(),
            catch: Vec::new(),
            transition: Transition::End,
        }
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets ItemsPath.
        items_path(items_path: String);
        /// Sets ItemSelector.
        item_selector(item_selector: Value) as Some;
        /// Sets MaxConcurrency: how many iterations may run at once (0: no limit).
        max_concurrency(max_concurrency = u64) as Value;
        /// Sets MaxConcurrencyPath: where the input holds MaxConcurrency.
        max_concurrency_path(max_concurrency: String) as Path;
        /// Sets ToleratedFailureCount.
        tolerated_failure_count(tolerated_failure_count = u64) as Value;
        /// Sets ToleratedFailureCountPath.
        tolerated_failure_count_path(tolerated_failure_count: String) as Path;
        /// Sets ToleratedFailurePercentage.
        tolerated_failure_percentage(tolerated_failure_percentage = f64) as Value;
        /// Sets ToleratedFailurePercentagePath.
        tolerated_failure_percentage_path(tolerated_failure_percentage: String) as Path;
        /// Sets ItemReader.
        item_reader(item_reader: ItemReader) as Some;
        /// Sets ItemBatcher.
        item_batcher(item_batcher: ItemBatcher) as Some;
        /// Sets ResultWriter.
        result_writer(result_writer: ResultWriter) as Some;
        /// Sets Label.
        label(label: String) as Some;
        /// Sets ResultSelector.
        result_selector(result_selector: Value) as Some;
        /// Sets ResultPath.
        result_path(result_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Items (JSONata): an array, or a `{% ... %}` expression giving one.
        items(items: Value) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the workflow variables the state assigns.
        assign(assign: Value) as Some;
        /// Sets MaxConcurrency to a JSONata expression (the text between `{%` and `%}`).
        max_concurrency_expression(max_concurrency: String) as Expression;
        /// Sets ToleratedFailureCount to a JSONata expression.
        tolerated_failure_count_expression(tolerated_failure_count: String) as Expression;
        /// Sets ToleratedFailurePercentage to a JSONata expression.
        tolerated_failure_percentage_expression(tolerated_failure_percentage: String) as Expression;
    }

    error_handling_builders!();

    transition_builders!();

    /// True when the processor runs as a Distributed Map (child executions).
    pub fn is_distributed(&self) -> bool {
        self.item_processor.processor_config.mode == ProcessorMode::Distributed
    }
}

/// The states a Map runs for each item: a scope of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemProcessor {
    /// How the iterations run.
    pub processor_config: ProcessorConfig,
    /// A human-readable description.
    pub comment: Option<String>,
    /// The state each iteration starts in.
    pub start_at: String,
    /// The processor's states.
    pub states: States,
}

impl ItemProcessor {
    /// An inline processor that starts at `start_at`, with no states yet.
    pub fn new(start_at: impl Into<String>) -> ItemProcessor {
        ItemProcessor {
            processor_config: ProcessorConfig::default(),
            comment: None,
            start_at: start_at.into(),
            states: States::new(),
        }
    }

    state_builder!();

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets how the iterations run.
        processor_config(processor_config: ProcessorConfig);
    }
}

/// How a Map's iterations run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ProcessorConfig {
    /// In the parent execution (`INLINE`, the default) or as child executions (`DISTRIBUTED`).
    pub mode: ProcessorMode,
    /// The child executions' type; required in distributed mode.
    pub execution_type: Option<ExecutionType>,
}

impl ProcessorConfig {
    /// The distributed mode with child executions of the given type.
    pub fn distributed(execution_type: ExecutionType) -> ProcessorConfig {
        ProcessorConfig {
            mode: ProcessorMode::Distributed,
            execution_type: Some(execution_type),
        }
    }
}

string_enum! {
    /// Where a Map's iterations run.
    #[derive(Default)]
    pub enum ProcessorMode {
        /// In the parent execution.
        #[default]
        Inline = "INLINE",
        /// As child executions of a Map Run.
        Distributed = "DISTRIBUTED",
    }
}

string_enum! {
    /// The type of a Distributed Map's child executions.
    pub enum ExecutionType {
        /// Standard workflows.
        Standard = "STANDARD",
        /// Express workflows.
        Express = "EXPRESS",
    }
}

/// Where a Distributed Map reads its items from (an Amazon S3 object or listing).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ItemReader {
    /// The API action that reads, such as `arn:aws:states:::s3:getObject`.
    pub resource: String,
    /// A payload template with the action's parameters (Bucket, Key...).
    pub parameters: Option<Value>,
    /// JSONata: the action's parameters (`Arguments`).
    pub arguments: Option<Value>,
    /// How the items are read.
    pub reader_config: Option<ReaderConfig>,
}

/// How a Distributed Map reads and splits its items.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReaderConfig {
    /// The file format.
    pub input_type: Option<InputType>,
    /// What to do with a listing's objects.
    pub transformation: Option<ReaderTransformation>,
    /// The kind of manifest read.
    pub manifest_type: Option<ManifestType>,
    /// The column separator of a CSV file.
    pub csv_delimiter: Option<CsvDelimiter>,
    /// Where a CSV file's column names come from.
    pub csv_header_location: Option<CsvHeaderLocation>,
    /// The column names, with `CSVHeaderLocation: GIVEN`.
    pub csv_headers: Option<Vec<String>>,
    /// The most items to read (`MaxItems` or `MaxItemsPath`).
    pub max_items: Option<ValueOrPath<u64>>,
    /// A JSON Pointer to the array of items inside a JSON file.
    pub items_pointer: Option<String>,
}

string_enum! {
    /// The format of the file a Distributed Map reads.
    pub enum InputType {
        /// Comma-separated (or otherwise delimited) values.
        Csv = "CSV",
        /// A JSON array.
        Json = "JSON",
        /// One JSON value per line.
        Jsonl = "JSONL",
        /// Apache Parquet.
        Parquet = "PARQUET",
        /// A manifest listing other files.
        Manifest = "MANIFEST",
    }
}

string_enum! {
    /// What a Distributed Map does with the objects an S3 listing returns.
    pub enum ReaderTransformation {
        /// Each object's metadata is an item.
        None = "NONE",
        /// Each object is read, and its records are the items.
        LoadAndFlatten = "LOAD_AND_FLATTEN",
    }
}

string_enum! {
    /// The kind of manifest a Distributed Map reads.
    pub enum ManifestType {
        /// An Athena query's data manifest.
        AthenaData = "ATHENA_DATA",
        /// An S3 Inventory manifest.
        S3Inventory = "S3_INVENTORY",
    }
}

string_enum! {
    /// The column separator of a CSV file.
    pub enum CsvDelimiter {
        /// `,`
        Comma = "COMMA",
        /// `|`
        Pipe = "PIPE",
        /// `;`
        Semicolon = "SEMICOLON",
        /// ` `
        Space = "SPACE",
        /// A tab.
        Tab = "TAB",
    }
}

string_enum! {
    /// Where a CSV file's column names come from.
    pub enum CsvHeaderLocation {
        /// The file's first row.
        FirstRow = "FIRST_ROW",
        /// The reader's `CSVHeaders`.
        Given = "GIVEN",
    }
}

/// How a Distributed Map groups items into batches, each batch one child execution.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ItemBatcher {
    /// The most items in a batch (`MaxItemsPerBatch` or `MaxItemsPerBatchPath`).
    pub max_items_per_batch: Option<ValueOrPath<u64>>,
    /// The most bytes in a batch (`MaxInputBytesPerBatch` or `MaxInputBytesPerBatchPath`).
    pub max_input_bytes_per_batch: Option<ValueOrPath<u64>>,
    /// A payload template added to every batch as `BatchInput`.
    pub batch_input: Option<Value>,
}

/// Where a Distributed Map writes its results.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResultWriter {
    /// The API action that writes, such as `arn:aws:states:::s3:putObject`.
    pub resource: Option<String>,
    /// A payload template with the action's parameters (Bucket, Prefix).
    pub parameters: Option<Value>,
    /// JSONata: the action's parameters (`Arguments`).
    pub arguments: Option<Value>,
    /// How the results are shaped.
    pub writer_config: Option<WriterConfig>,
}

/// How a Distributed Map shapes the results it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct WriterConfig {
    /// The file format.
    pub output_type: Option<OutputType>,
    /// How much of each child execution's details is kept.
    pub transformation: Option<WriterTransformation>,
}

string_enum! {
    /// The format of a Distributed Map's result files.
    pub enum OutputType {
        /// A JSON array.
        Json = "JSON",
        /// One JSON value per line.
        Jsonl = "JSONL",
    }
}

string_enum! {
    /// How much of each child execution a Distributed Map's results keep.
    pub enum WriterTransformation {
        /// Everything, as the child execution reported it.
        None = "NONE",
        /// Only the outputs, as an array.
        Compact = "COMPACT",
        /// The outputs, with arrays of results flattened.
        Flatten = "FLATTEN",
    }
}
