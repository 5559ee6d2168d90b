//! Registration's versions and aliases: with [`RegisterOptions::publish`]
//! a version is published when registration creates the machine or
//! changes it, and with [`RegisterOptions::alias`] that version is what the
//! alias routes every execution to.
//!
//! [`RegisterOptions::publish`]: super::RegisterOptions::publish
//! [`RegisterOptions::alias`]: super::RegisterOptions::alias

use crate::api::{
    CreateStateMachineAliasInput, RoutingConfigurationListItem, SfnError,
    UpdateStateMachineAliasInput,
};

use super::{Machine, RegistrationError};

impl Machine {
    /// Points the alias `alias` of the machine `machine_arn` at
    /// `version_arn` alone: updates it, or creates it when it does not
    /// exist. Answers the alias's ARN.
    pub(super) async fn point_alias(
        &self,
        machine_arn: &str,
        alias: &str,
        version_arn: &str,
    ) -> Result<String, RegistrationError> {
        let api = self.sfn.api();
        let routing = vec![RoutingConfigurationListItem {
            state_machine_version_arn: version_arn.to_string(),
            weight: 100,
        }];
        let alias_arn = format!("{machine_arn}:{alias}");
        match api
            .update_state_machine_alias(UpdateStateMachineAliasInput {
                state_machine_alias_arn: alias_arn.clone(),
                description: None,
                routing_configuration: Some(routing.clone()),
            })
            .await
        {
            Ok(_) => Ok(alias_arn),
            Err(SfnError::ResourceNotFound { .. }) => {
                let created = api
                    .create_state_machine_alias(CreateStateMachineAliasInput {
                        name: alias.to_string(),
                        description: None,
                        routing_configuration: routing,
                    })
                    .await
                    .map_err(|source| self.api_error("CreateStateMachineAlias", source))?;
                Ok(created.state_machine_alias_arn)
            }
            Err(source) => Err(self.api_error("UpdateStateMachineAlias", source)),
        }
    }
}
