//! `roster skills`: the account's skills (shared by all its applications).

use roster::voximplant::skills::{AddSkill, DelSkill, GetSkills, SetSkillInfo};
use roster::voximplant::types::Skill;
use roster::Voximplant;

use super::{collect, done, failed, ListArgs, OutputArg, Ref};
use crate::context::Context;
use crate::fail::CliError;
use crate::output::{print_list, print_one};

#[derive(clap::Subcommand, Debug)]
pub enum SkillsCommand {
    /// List the account's skills (every page).
    List(ListArgs),
    /// Add a skill.
    Add {
        name: String,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Rename a skill; its bindings stay.
    Rename {
        /// The skill's name, or id.
        skill: Ref,
        new_name: String,
    },
    /// Delete a skill (and its bindings).
    Delete {
        /// The skill's name, or id.
        skill: Ref,
    },
}

pub async fn skills(ctx: &Context, command: SkillsCommand) -> Result<(), CliError> {
    let vox = ctx.voximplant()?;
    match command {
        SkillsCommand::List(args) => {
            let skills = collect(vox.skills().iter_skills(GetSkills::new()), args.limit)
                .await
                .map_err(failed("GetSkills"))?;
            print_list(&skills, args.output.output)
        }
        SkillsCommand::Add { name, output } => add(&vox, name, output).await,
        SkillsCommand::Rename { skill, new_name } => rename(&vox, skill, new_name).await,
        SkillsCommand::Delete { skill } => delete(&vox, skill).await,
    }
}

async fn add(vox: &Voximplant, name: String, output: OutputArg) -> Result<(), CliError> {
    let created = vox
        .skills()
        .add_skill(AddSkill::new(name.as_str()))
        .await
        .map_err(failed(format!("AddSkill {name}")))?;
    let mut skill = Skill::default();
    skill.skill_id = created.skill_id;
    skill.skill_name = Some(name);
    done(format_args!(
        "added skill {} (id {})",
        skill.skill_name.as_deref().unwrap_or_default(),
        skill.skill_id.unwrap_or_default()
    ));
    print_one(&skill, output.output)
}

async fn rename(vox: &Voximplant, skill: Ref, new_name: String) -> Result<(), CliError> {
    let request = match &skill {
        Ref::Id(id) => SetSkillInfo::new(new_name.as_str()).skill_id(*id),
        Ref::Name(name) => SetSkillInfo::new(new_name.as_str()).skill_name(name.as_str()),
    };
    vox.skills()
        .set_skill_info(request)
        .await
        .map_err(failed(format!("SetSkillInfo {skill}")))?;
    done(format_args!("renamed skill {skill} to {new_name}"));
    Ok(())
}

async fn delete(vox: &Voximplant, skill: Ref) -> Result<(), CliError> {
    let request = match &skill {
        Ref::Id(id) => DelSkill::new().skill_id(*id),
        Ref::Name(name) => DelSkill::new().skill_name(name.as_str()),
    };
    vox.skills()
        .del_skill(request)
        .await
        .map_err(failed(format!("DelSkill {skill}")))?;
    done(format_args!("deleted skill {skill}"));
    Ok(())
}
