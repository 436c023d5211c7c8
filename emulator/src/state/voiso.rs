//! Voiso agents, kept in the shape the Voiso users endpoint sends them.
//!
//! The documented answer has quirks clients must tolerate, and the emulator reproduces them on
//! purpose: `employee_id` is a number although documented as a string, team and queue lists are
//! comma-separated strings, and a channel's `value` is a phone number sent as a JSON number
//! larger than 32 bits. Fixtures may give those lists as arrays or as strings.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VoisoUser {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub sip_account: String,
    #[serde(default)]
    pub sag: String,
    #[serde(default)]
    pub extension: String,
    #[serde(default)]
    pub caller_id: String,
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub webrtc_ringtone: Option<String>,
    #[serde(default, deserialize_with = "csv_in", serialize_with = "csv_out")]
    pub assigned_teams: Vec<String>,
    #[serde(default, deserialize_with = "csv_in", serialize_with = "csv_out")]
    pub supervisor_in_teams: Vec<String>,
    #[serde(default)]
    pub assigned_skills: Vec<VoisoSkill>,
    #[serde(default, deserialize_with = "csv_in", serialize_with = "csv_out")]
    pub assigned_queues: Vec<String>,
    /// Sent as a JSON number (a documented quirk); `null` when the profile has none.
    #[serde(default, deserialize_with = "int_in")]
    pub employee_id: Option<i64>,
    #[serde(default)]
    pub assigned_channels: Vec<VoisoChannel>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VoisoSkill {
    pub name: String,
    pub value: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VoisoChannel {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// A phone number in E.164 without `+`, sent as a JSON number.
    #[serde(default, deserialize_with = "int_in")]
    pub value: Option<i64>,
}

impl VoisoUser {
    /// The value of one of the eight filters, as the filter compares it.
    pub fn filter_value(&self, filter: &str) -> Option<String> {
        Some(match filter {
            "id" => self.id.to_string(),
            "name" => self.name.clone(),
            "email" => self.email.clone(),
            "sip_account" => self.sip_account.clone(),
            "sag" => self.sag.clone(),
            "extension" => self.extension.clone(),
            "caller_id" => self.caller_id.clone(),
            "timezone" => self.timezone.clone(),
            _ => return None,
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CsvForm {
    Text(String),
    List(Vec<String>),
}

fn csv_in<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<CsvForm>::deserialize(d)? {
        None => Vec::new(),
        Some(CsvForm::List(items)) => items,
        Some(CsvForm::Text(text)) => text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

fn csv_out<S: Serializer>(items: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&items.join(", "))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IntForm {
    Int(i64),
    Text(String),
}

fn int_in<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<IntForm>::deserialize(d)? {
        None => Ok(None),
        Some(IntForm::Int(i)) => Ok(Some(i)),
        Some(IntForm::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(IntForm::Text(t)) => t.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}
