import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { BadUserInputError } from '../../../common/errors';
import { whereAreaStartsWith } from '../../kit/area-code';
import { escapeLike } from '../../../common/sql-like';
import { fetchPage, type Page, type PageArgs } from '../../kit/connection';
import { checkIdNumber } from '../domain/id-number';
import { BenefitStatus } from '../entities/enums';
import { Household } from '../entities/household.entity';
import { Resident } from '../entities/resident.entity';
import type { RegisterResidentInput, ResidentFilter } from '../inputs/resident.inputs';
import { isUniqueViolation } from '../../../common/database/database-errors';
import { checkWithinJurisdiction, scopedQuery, type Jurisdiction } from '../../kit/jurisdiction';
import { inTransaction } from '../../../common/database/transaction';

/** Residents and households inside one caller's jurisdiction. */
export class ResidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jurisdiction: Jurisdiction,
  ) {}

  findByIds(ids: readonly string[]): Promise<Resident[]> {
    return scopedQuery(this.dataSource, Resident, 'r', this.jurisdiction).andWhere('r.id IN (:...ids)', { ids }).getMany();
  }

  findByHouseholdIds(householdIds: readonly string[]): Promise<Resident[]> {
    return scopedQuery(this.dataSource, Resident, 'r', this.jurisdiction)
      .andWhere('r.household_id IN (:...householdIds)', { householdIds })
      .orderBy('r.birth_date', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  findHouseholdsByIds(ids: readonly string[]): Promise<Household[]> {
    return scopedQuery(this.dataSource, Household, 'h', this.jurisdiction).andWhere('h.id IN (:...ids)', { ids }).getMany();
  }

  search(filter: ResidentFilter | null | undefined, page: PageArgs): Promise<Page<Resident>> {
    const query = scopedQuery(this.dataSource, Resident, 'r', this.jurisdiction);
    whereAreaStartsWith(query, 'r.area_code', filter?.areaCode);
    if (filter?.name) {
      query.andWhere("r.name LIKE :name ESCAPE '\\'", { name: `%${escapeLike(filter.name)}%` });
    }
    if (filter?.benefitType) {
      query.andWhere('EXISTS (SELECT 1 FROM benefit b WHERE b.resident_id = r.id AND b.type = :benefitType AND b.status = :active)', {
        benefitType: filter.benefitType,
        active: BenefitStatus.ACTIVE,
      });
    }
    return fetchPage(query, [{ column: 'r.id', order: 'ASC' }], (row) => [row.id], page);
  }

  /** Registers a resident, creating a household with them as head unless one is named. */
  async register(input: RegisterResidentInput, today: string): Promise<Resident> {
    const problems = checkIdNumber(input.idNumber, input);
    if (input.birthDate > today) problems.push('birthDate must not be in the future');
    if (problems.length > 0) throw new BadUserInputError(problems.join('; '), { field: 'idNumber' });
    checkWithinJurisdiction(input.areaCode, this.jurisdiction);
    const duplicate = () => new BadUserInputError('A resident with this idNumber is already registered', { field: 'idNumber' });
    return inTransaction(this.dataSource, async (tx) => {
      if (await tx.existsBy(Resident, { idNumber: input.idNumber })) throw duplicate();
      if (input.householdId) {
        const household = await scopedQuery(tx, Household, 'h', this.jurisdiction)
          .andWhere('h.id = :id', { id: input.householdId })
          .getOne();
        if (!household) throw new BadUserInputError('householdId does not name a registered household', { field: 'householdId' });
        if (household.areaCode !== input.areaCode) {
          throw new BadUserInputError("areaCode must be the household's area code", { field: 'areaCode' });
        }
      }
      const id = randomUUID();
      const householdId = input.householdId ?? randomUUID();
      if (!input.householdId) {
        await tx.insert(Household, { id: householdId, areaCode: input.areaCode, address: input.address.trim(), headId: id });
      }
      const resident = tx.create(Resident, {
        id,
        name: input.name.trim(),
        gender: input.gender,
        birthDate: input.birthDate,
        idNumber: input.idNumber,
        phone: input.phone,
        areaCode: input.areaCode,
        address: input.address.trim(),
        householdId,
      });
      await tx.insert(Resident, resident);
      return resident;
    }).catch((error: unknown) => {
      // A concurrent registration of the same number got there first.
      throw isUniqueViolation(error, 'idx_resident_id_number', 'resident.id_number') ? duplicate() : error;
    });
  }
}
