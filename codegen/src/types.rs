//! Response field types, parsed from their spelling in the spec (`int`, `[Skill]`, ...).

/// The type of a response field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Int,
    String,
    Bool,
    Decimal,
    Date,
    Datetime,
    /// A comma-separated string read as a list.
    Csv,
    Json,
    Struct(String),
    List(Box<FieldType>),
}

impl FieldType {
    /// Parses `int`, `Skill`, `[Skill]`, `[[int]]`, ...
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or_else(|| {
                format!("type {text:?} opens a list with [ but does not close it")
            })?;
            return Ok(Self::List(Box::new(Self::parse(inner)?)));
        }
        Ok(match t {
            "int" => Self::Int,
            "string" => Self::String,
            "bool" => Self::Bool,
            "decimal" => Self::Decimal,
            "date" => Self::Date,
            "datetime" => Self::Datetime,
            "csv" => Self::Csv,
            "json" => Self::Json,
            s if s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && s.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                Self::Struct(s.to_owned())
            }
            _ => {
                return Err(format!(
                    "unknown type {text:?}: expected int, string, bool, decimal, date, datetime, csv, json, a struct name or [T]"
                ))
            }
        })
    }

    /// The struct this type refers to, looking through lists.
    pub fn struct_name(&self) -> Option<&str> {
        match self {
            Self::Struct(s) => Some(s),
            Self::List(inner) => inner.struct_name(),
            _ => None,
        }
    }
}
