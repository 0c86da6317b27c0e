/*
 * Fixture shaped like TrinityCore's Unit.cpp: just enough for the fix templates to find their functions.
 */

#include "Unit.h"
#include "Player.h"

uint32 Unit::DealDamage(Unit* attacker, Unit* victim, uint32 damage, CleanDamage const* cleanDamage, DamageEffectType damagetype,
    SpellSchoolMask damageSchoolMask, SpellInfo const* spellProto, bool durabilityLoss)
{
    if (victim->IsImmunedToDamage(spellProto))
        return 0;

    if (Player* player = victim->ToPlayer())
    {
        for (SpellModifier* mod : player->m_spellModTakingDamage)
            damage = mod->Apply(damage);
    }

    victim->ModifyHealth(-int32(damage));
    return damage;
}

void Unit::SetHealth(uint32 val)
{
    m_health = val;
}
